namespace Airlock.Engine.Discovery;

/// <summary>What discovery reads from the process and the file system, injectable so the order can be tested without engines.</summary>
public sealed record DiscoveryEnvironment(
    Func<string, string?> GetVariable,
    Func<string, bool> SocketExists,
    Func<string, string?> FindExecutable,
    int UserId)
{
    public static DiscoveryEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable,
        File.Exists,
        FindOnPath,
        GetUid());

    private static int GetUid()
    {
        try
        {
            // /proc/self/status "Uid:\treal\teffective..." avoids a P/Invoke for one number.
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: treat as a regular user.
        }

        return 1000;
    }

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
