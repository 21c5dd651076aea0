namespace Airlock.Engine.Containers;

/// <summary>cgroup limits. Null means unlimited (the engine's default).</summary>
public sealed record ResourceLimits(long? MemoryBytes = null, double? Cpus = null, long? PidsLimit = null, long? ShmSizeBytes = null)
{
    public static readonly ResourceLimits None = new();

    public long? NanoCpus => Cpus is { } c ? (long)Math.Round(c * 1_000_000_000) : null;
}
