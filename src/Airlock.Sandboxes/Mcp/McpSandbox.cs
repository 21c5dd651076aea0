namespace Airlock.Sandboxes.Mcp;

/// <summary>A sandbox the tools made, as <c>create_sandbox</c> and <c>list_sandboxes</c> describe it to the agent.</summary>
/// <param name="Sandbox">The name every other tool takes.</param>
/// <param name="WorkingDirectory">Where commands run by default: the project, at the same path as on the host.</param>
/// <param name="Network">The network mode (open, allowlist or none).</param>
public sealed record McpSandbox(
    string Sandbox,
    string Namespace,
    string Image,
    string WorkingDirectory,
    string Network,
    string Isolation,
    bool Running)
{
    /// <summary>What the person would have been told at a terminal (a secret left out, a setting ignored).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}
