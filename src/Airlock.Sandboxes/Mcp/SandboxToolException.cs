namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// A tool call that cannot be done as asked (a bad argument, an unknown sandbox, a file too large): the message says
/// what was wrong, where, and how to fix it, and goes back to the agent as the tool's error result.
/// </summary>
public sealed class SandboxToolException(string message) : Exception(message);
