namespace Airlock.Client;

public sealed record ProblemField(string Path, string Message);

/// <summary>An RFC 9457 problem: every error the server sends, with each bad field named.</summary>
public sealed record Problem(string? Title, int? Status, string? Detail, IReadOnlyList<ProblemField>? Errors, string? Type = null);
