namespace Airlock.Sandboxes.Specs;

/// <summary>cgroup limits. A sandbox always has a memory and a pids ceiling unless one is explicitly lifted (null).</summary>
public sealed record SandboxLimits(long? MemoryBytes, double? Cpus, long? Pids)
{
    public const long DefaultMemoryBytes = 8L * 1024 * 1024 * 1024;
    public const long DefaultPids = 4096;

    /// <summary>
    /// The size of each in-memory scratch dir (/tmp, /var/tmp) when the image is read-only: tmpfs pages count against
    /// <see cref="MemoryBytes"/>, so writes there are bounded twice over; nothing else in the image is writable.
    /// </summary>
    public const long DefaultScratchBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>8 GiB and 4096 processes: room for a compiler or a test suite, not for a fork bomb or a runaway leak.</summary>
    public static readonly SandboxLimits Default = new(DefaultMemoryBytes, null, DefaultPids);

    /// <summary>All of the host's CPUs but one, so a sandbox that spins every core leaves the host one to answer with (at least one CPU).</summary>
    public static double DefaultCpusFor(int hostCpus) => Math.Max(1, hostCpus - 1);
}
