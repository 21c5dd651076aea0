namespace Airlock.Bench.Infrastructure;

/// <summary>Other work on the machine moves the figures; the load average says how much there was.</summary>
internal static class LoadAverage
{
    public static string Now()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
