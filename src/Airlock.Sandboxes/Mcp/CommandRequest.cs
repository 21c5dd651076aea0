namespace Airlock.Sandboxes.Mcp;

/// <summary>One <c>run_command</c>: argv (never a shell line airlock builds), where, what stdin, for how long at most.</summary>
public sealed record CommandRequest(IReadOnlyList<string> Command, string? WorkingDirectory, ReadOnlyMemory<byte>? Stdin, TimeSpan Timeout);
