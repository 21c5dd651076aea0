namespace Airlock.Launcher.Conduit;

/// <summary>
/// One agent run prepared by conduit: its config is written; what is left is to start <see cref="Command"/> in the
/// namespace with <see cref="Environment"/> added and <see cref="HostPorts"/> reachable at host.airlock.internal.
/// </summary>
public sealed record AgentLaunch(
    string Agent,
    string Namespace,
    string Model,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<int> HostPorts,
    IReadOnlyList<string> FilesWritten)
{
    /// <summary>The endpoint's key as a secret (from the host): its placeholder is what the agent's config names.</summary>
    public IReadOnlyList<Secrets.PlannedSecret> Secrets { get; init; } = [];
}

/// <summary>Starts a prepared agent and returns its exit code: in a new sandbox from the host, or as a child process inside one.</summary>
public interface IAgentRunner
{
    Task<int> RunAsync(AgentLaunch launch, CancellationToken ct);
}
