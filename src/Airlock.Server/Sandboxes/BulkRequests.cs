namespace Airlock.Server.Sandboxes;

public sealed record BulkCreateRequest
{
    public IReadOnlyList<CreateSandboxRequest>? Sandboxes { get; init; }
}

public sealed record BulkDeleteRequest
{
    public IReadOnlyList<string>? Ids { get; init; }
}

/// <summary>The outcome of one item of a bulk call: its HTTP-like status, and the sandbox or the problem.</summary>
public sealed record BulkItemResult(int Index, int Status, string? Id, SandboxView? Sandbox, string? Error);

public sealed record BulkResult(IReadOnlyList<BulkItemResult> Results, int Succeeded, int Failed);
