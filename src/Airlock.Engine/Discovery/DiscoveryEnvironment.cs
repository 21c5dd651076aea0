namespace Airlock.Engine.Discovery;

/// <summary>What discovery reads from the process and the file system, injectable so the order can be tested without engines.</summary>
public sealed record DiscoveryEnvironment(
    Func<string, string?> GetVariable,
    Func<string, bool> SocketExists,
    Func<string, string?> FindExecutable,
    int UserId)
{
    /// <summary>Why a socket that exists must not be trusted (null: trusted); <see cref="SocketTrust.Problem"/> unless a test replaces it.</summary>
    public Func<string, string?>? SocketProblem { get; init; }

    public static DiscoveryEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable,
        File.Exists,
        FindOnPath,
        Identity.LocalHost.UserId is >= 0 and var uid ? uid : 1000);

    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
