namespace Airlock.Server.Snapshots;

/// <summary>A snapshot as the API shows it.</summary>
public sealed record SnapshotView(string Id, string Name, string SandboxId, string Image, string Node, string State, DateTimeOffset CreatedAt)
{
    public static SnapshotView From(SnapshotRecord r) => new(r.Id, r.Name, r.SandboxId, r.Image, r.Node, r.State, r.CreatedAt);
}

/// <summary>One page of snapshots; <see cref="NextPageToken"/> when more follow.</summary>
public sealed record SnapshotList(IReadOnlyList<SnapshotView> Items, string? NextPageToken);

/// <summary>The body of <c>POST /v1/sandboxes/{id}/snapshots</c>.</summary>
public sealed record CreateSnapshotRequest
{
    public string? Name { get; init; }
}

/// <summary>The body of <c>POST /v1/sandboxes/{id}/restore</c>.</summary>
public sealed record RestoreRequest
{
    public string? Snapshot { get; init; }
}
