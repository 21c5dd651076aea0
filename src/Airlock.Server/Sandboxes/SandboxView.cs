namespace Airlock.Server.Sandboxes;

/// <summary>A sandbox as the API shows it.</summary>
public sealed record SandboxView(
    string Id,
    string Name,
    string Tenant,
    string Image,
    string State,
    string Node,
    double Cpus,
    long MemoryBytes,
    IReadOnlyDictionary<string, string> Labels,
    int? ExitCode,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static SandboxView From(SandboxRecord r) =>
        new(r.Id, r.Name, r.TenantId, r.Image, r.State, r.Node, r.CpuMillis / 1000.0, r.MemoryBytes, r.Labels, r.ExitCode, r.Error, r.CreatedAt, r.UpdatedAt);
}
