namespace Airlock.Server.Store;

/// <summary>What the sandboxes on one node reserve, and how many of them belong to the tenant placing a new one.</summary>
public sealed record NodeUsage(long CpuMillis, long MemoryBytes, long Sandboxes, long TenantSandboxes);
