using Airlock.Cli.Agents;
using Airlock.Cli.Launcher;
using Airlock.Launcher.Agents;
using Airlock.Launcher.Conduit;
using Airlock.Launcher.Launch;

namespace Airlock.Cli.Conduit;

/// <summary>
/// Runs a prepared agent from the host through the same path as <c>airlock run</c> (<see cref="SandboxRun"/>): a sandbox
/// of the agent's namespace with the project mounted, the endpoint's loopback port forwarded to host.airlock.internal,
/// and conduit's variables. Unlike <c>airlock run</c>, none of the host's agent variables (ANTHROPIC_API_KEY, ...) go in:
/// a vendor key must never be sent to the local endpoint.
/// </summary>
public sealed class SandboxAgentRunner(CliContext context) : IAgentRunner
{
    public async Task<int> RunAsync(AgentLaunch launch, CancellationToken ct)
    {
        var agent = AgentCatalog.Get(launch.Agent);
        using var services = await LauncherServices.ConnectAsync(context, ct);
        var entry = services.Namespaces.Get(launch.Namespace);
        var request = new LaunchRequest
        {
            Namespace = launch.Namespace,
            ProjectDir = Directory.GetCurrentDirectory(),
            Command = launch.Command,
            Env = launch.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            HostPorts = launch.HostPorts,
            MadeSecrets = launch.Secrets,
            Tty = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected,
        };
        var plan = SandboxRun.Plan(services, launch.Namespace, entry, request);
        return await RunCommand.RunAgentAsync(services, agent, launch.Namespace, entry, request, plan, ct);
    }
}
