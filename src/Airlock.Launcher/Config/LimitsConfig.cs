namespace Airlock.Launcher.Config;

/// <summary>Per-namespace overrides of the sandbox limits; null keeps the default. <c>0</c> lifts a limit.</summary>
/// <param name="TmpBytes">The size of each in-memory scratch dir (/tmp, /var/tmp) of a read-only image; 0 keeps the image writable, on disk.</param>
public sealed record LimitsConfig(long? MemoryBytes, double? Cpus, long? Pids, long? TmpBytes = null)
{
    public static readonly LimitsConfig Empty = new(null, null, null);
}
