namespace Airlock.Server.Nodes;

/// <summary>
/// What a new sandbox needs from a node: its reservation, the node it must run on (a snapshot's images stay on their
/// node), whether to spread the tenant's sandboxes across nodes (anti-affinity), and whether it must be a node the server
/// reaches over a unix socket (an allowlist sandbox: the server's egress proxy socket is mounted into it).
/// </summary>
public sealed record PlacementRequest(string TenantId, long CpuMillis, long MemoryBytes, string? RequiredNode = null, bool AntiAffinity = false, bool LocalOnly = false);
