namespace Airlock.Sandboxes.Mcp;

/// <summary>A running sandbox as the tools' commands reach it: its id, and the user and directory commands run as and in by default.</summary>
public sealed record ExecTarget(string Id, string? User, string? WorkingDirectory);
