namespace Airlock.Sandboxes.Network;

/// <summary>
/// Finds airlock-relay, the native program an <c>allowlist</c> sandbox runs in front of its command: named by
/// <see cref="Variable"/>; else beside the running program (an installed airlock: scripts/install-airlock.sh puts it
/// there); else in <c>artifacts/relay/</c> of the checkout the program was built in (every Release build compiles it there).
/// </summary>
public static class RelayExecutable
{
    public const string FileName = "airlock-relay";

    public const string Variable = "AIRLOCK_RELAY";

    /// <summary>What to do when it is missing.</summary>
    public const string Fix = "reinstall airlock with scripts/install-airlock.sh (it installs airlock-relay beside airlock), or build the checkout in Release, or set " + Variable + " to the airlock-relay executable";

    public static string? Find(string? variable, string baseDirectory)
    {
        if (!string.IsNullOrEmpty(variable))
        {
            return Path.IsPathFullyQualified(variable) && File.Exists(variable) ? variable : null;
        }

        var beside = Path.Combine(baseDirectory, FileName);
        if (IsNative(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var built = Path.Combine(dir.FullName, "artifacts", "relay", FileName);
            if (File.Exists(built))
            {
                return built;
            }
        }

        return null;
    }

    /// <summary>The one found for this process, or an exception that says how to get it.</summary>
    public static string Require() =>
        Find(Environment.GetEnvironmentVariable(Variable), AppContext.BaseDirectory)
        ?? throw new FileNotFoundException($"{FileName} was not found ({(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? $"{Variable}={v} is not an executable file" : "not beside airlock, nor in a checkout's artifacts/relay/")}); {Fix}");

    /// <summary>
    /// A build output can hold a managed apphost of the same name (a project referencing the relay): only the native
    /// executable, with no airlock-relay.dll beside it, runs in an image without .NET.
    /// </summary>
    private static bool IsNative(string path) =>
        File.Exists(path) && !File.Exists(Path.ChangeExtension(path, ".dll"));
}
