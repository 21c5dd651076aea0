namespace Airlock.Server.Tenants;

/// <summary>What a tenant's sandboxes reserve now (every sandbox that exists, running or stopped).</summary>
public sealed record TenantUsage(long Sandboxes, long CpuMillis, long MemoryBytes);
