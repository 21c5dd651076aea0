namespace Airlock.Server.Tenants;

/// <summary>A tenant's ceiling: how many sandboxes, and how much CPU (in thousandths of a CPU) and memory they may reserve in all.</summary>
public sealed record TenantQuota(long MaxSandboxes, long MaxCpuMillis, long MaxMemoryBytes)
{
    public static readonly TenantQuota Default = new(10, 8_000, 16L * 1024 * 1024 * 1024);
}
