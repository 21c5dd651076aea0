namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// Real hosts outside that this machine reaches, read from its own package configuration (no address is written into
/// the tests): the hosts of apt's sources, which every Debian machine has.
/// </summary>
public static class MachineHosts
{
    /// <summary>Each http(s) source of apt, as written (<c>http://deb.debian.org/debian</c>), in file order.</summary>
    public static IReadOnlyList<Uri> AptSources()
    {
        var files = new List<string>();
        if (File.Exists("/etc/apt/sources.list"))
        {
            files.Add("/etc/apt/sources.list");
        }

        if (Directory.Exists("/etc/apt/sources.list.d"))
        {
            files.AddRange(Directory.EnumerateFiles("/etc/apt/sources.list.d").Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }

        var sources = files
            .SelectMany(File.ReadAllLines)
            .Select(l => l.Trim())
            .Where(l => !l.StartsWith('#'))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.StartsWith("http://", StringComparison.Ordinal) || w.StartsWith("https://", StringComparison.Ordinal))
            .Select(w => new Uri(w.TrimEnd('/') + "/"))
            .DistinctBy(u => u.Host)
            .ToList();
        return sources.Count > 0 ? sources : throw new InvalidOperationException("apt names no http(s) source in /etc/apt/sources.list(.d): these tests need the machine's package sources");
    }
}
