using System.Globalization;
using System.Runtime.InteropServices;

namespace Airlock.Engine.Identity;

/// <summary>Facts about this machine, which is the engine's machine when it listens on a local unix socket.</summary>
internal static class LocalHost
{
    /// <summary>Go's names, as engines report them.</summary>
    public static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static string KernelVersion => Read("/proc/sys/kernel/osrelease") ?? "";

    public static int UserId
    {
        get
        {
            foreach (var line in (Read("/proc/self/status") ?? "").Split('\n'))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }

            return -1;
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
