namespace Airlock.Server.Sandboxes;

/// <summary>One sandbox as stored. <see cref="Spec"/> is the JSON of the request it was made from (for the reconciler and snapshots).</summary>
public sealed record SandboxRecord(
    string Id,
    string TenantId,
    string Name,
    string Image,
    string State,
    string Node,
    string? ContainerId,
    long CpuMillis,
    long MemoryBytes,
    int? ExitCode,
    string? Error,
    IReadOnlyDictionary<string, string> Labels,
    string Spec,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>When it ends by itself; null when it lives until deleted.</summary>
    public SandboxLifetime? Lifetime { get; init; }

    /// <summary>The engine container's name: derived from the id, so a half-finished create can be found by name.</summary>
    public string ContainerName => ContainerNameFor(Id);

    public static string ContainerNameFor(string sandboxId) => "airlock-" + sandboxId;
}
