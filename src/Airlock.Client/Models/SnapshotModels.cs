namespace Airlock.Client;

public sealed record SnapshotBody(string? Name);

public sealed record Snapshot(string Id, string Name, string SandboxId, string Image, DateTimeOffset CreatedAt, string? Node = null, string? State = null);

public sealed record SnapshotPage(IReadOnlyList<Snapshot> Items, string? NextPageToken) : IPage<Snapshot>;

/// <summary>The body of <c>POST /v1/sandboxes/{id}/restore</c>: the snapshot to put the sandbox back to.</summary>
public sealed record RestoreBody(string Snapshot);
