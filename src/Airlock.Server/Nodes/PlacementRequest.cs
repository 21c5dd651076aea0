namespace Airlock.Server.Nodes;

/// <summary>
/// What a new sandbox needs from a node: its reservation, the node it must run on (a snapshot's images stay on their
/// node) and whether to spread the tenant's sandboxes across nodes (anti-affinity).
/// </summary>
public sealed record PlacementRequest(string TenantId, long CpuMillis, long MemoryBytes, string? RequiredNode = null, bool AntiAffinity = false);
