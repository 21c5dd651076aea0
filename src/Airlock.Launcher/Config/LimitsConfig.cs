namespace Airlock.Launcher.Config;

/// <summary>Per-namespace overrides of the sandbox limits; null keeps the default. <c>0</c> lifts a limit.</summary>
public sealed record LimitsConfig(long? MemoryBytes, double? Cpus, long? Pids)
{
    public static readonly LimitsConfig Empty = new(null, null, null);
}
