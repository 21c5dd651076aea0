namespace Airlock.Server.Sandboxes;

/// <summary>What one sandbox may use; what is given here is reserved from the tenant's quota.</summary>
public sealed record SandboxLimitsRequest
{
    public double? Cpus { get; init; }

    public long? MemoryBytes { get; init; }

    public long? Pids { get; init; }
}
