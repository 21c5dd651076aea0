namespace Airlock.Server.Sandboxes;

/// <summary>One page; pass <see cref="NextPageToken"/> as <c>pageToken</c> for the next (absent on the last page).</summary>
public sealed record SandboxList(IReadOnlyList<SandboxView> Items, string? NextPageToken);
