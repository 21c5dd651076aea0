using Airlock.Server.Sandboxes;

namespace Airlock.Server.Store;

/// <summary>One page of a listing; <see cref="NextAfter"/> is the last id when more may follow.</summary>
public sealed record SandboxPage(IReadOnlyList<SandboxRecord> Items, string? NextAfter);
