namespace Airlock.Server.Snapshots;

/// <summary>One snapshot as stored: the image it is on <see cref="Node"/>, and the sandbox it was taken from.</summary>
public sealed record SnapshotRecord(string Id, string TenantId, string Name, string SandboxId, string Node, string Image, string State, DateTimeOffset CreatedAt);
