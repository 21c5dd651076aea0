namespace Airlock.Sandboxes.Specs;

/// <summary>cgroup limits. A sandbox always has a memory and a pids ceiling unless one is explicitly lifted (null).</summary>
public sealed record SandboxLimits(long? MemoryBytes, double? Cpus, long? Pids)
{
    public const long DefaultMemoryBytes = 8L * 1024 * 1024 * 1024;
    public const long DefaultPids = 4096;

    /// <summary>8 GiB and 4096 processes: room for a compiler or a test suite, not for a fork bomb or a runaway leak.</summary>
    public static readonly SandboxLimits Default = new(DefaultMemoryBytes, null, DefaultPids);
}
