namespace Airlock.Client;

/// <summary>Which sandboxes a listing returns: by state and labels (every label must match), and how many a page holds.</summary>
public sealed record SandboxQuery(string? State = null, IReadOnlyDictionary<string, string>? Labels = null, int? PageSize = null);
