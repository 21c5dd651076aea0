using Airlock.Cli.Launcher;
using Airlock.Cli.Terminal;
using Airlock.Engine.Errors;
using Airlock.Launcher.Conduit;
using Airlock.Launcher.Launch;
using Spectre.Console;

namespace Airlock.Cli.Conduit;

/// <summary>
/// Runs a prepared agent from the host: a sandbox of the agent's namespace with the project mounted (the usual launch
/// plan), conduit's variables added, and the endpoint's loopback port forwarded to host.airlock.internal.
/// </summary>
public sealed class SandboxAgentRunner(CliContext context) : IAgentRunner
{
    public async Task<int> RunAsync(AgentLaunch launch, CancellationToken ct)
    {
        using var services = await LauncherServices.ConnectAsync(context, ct);
        var entry = services.Namespaces.Get(launch.Namespace);
        var tty = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;
        var request = new LaunchRequest
        {
            Namespace = launch.Namespace,
            ProjectDir = Directory.GetCurrentDirectory(),
            Command = ["sh", "-c", InstalledGuard(launch), "sh", .. launch.Command],
            Env = launch.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            HostPorts = launch.HostPorts,
            Tty = tty,
        };
        var plan = new LaunchPlanner(services.Paths, services.User, services.Engine.Identity, context.GetVariable).Plan(launch.Namespace, entry, request);
        var warnings = plan.Warnings.ToList();
        LaunchSession created;
        try
        {
            created = await LaunchSession.CreateAsync(services.Engine, services.Paths, plan, allowConcurrent: false, warnings, ct);
        }
        catch (EngineNotFoundException)
        {
            if (await services.Engine.Images.ExistsAsync(plan.Spec.Image, ct))
            {
                throw;
            }

            throw new ConduitException($"the image {plan.Spec.Image} of namespace '{launch.Namespace}' is missing", $"rebuild it: airlock rebuild namespace {launch.Namespace}");
        }

        await using var session = created;
        foreach (var warning in warnings)
        {
            context.Error.MarkupLine("[yellow]notice:[/] " + Markup.Escape(warning));
        }

        var exitCode = await new TerminalSession(services.Engine).RunContainerAsync(session.ContainerId, interactive: true, tty, ct);
        session.ProcessEnded();
        return exitCode;
    }

    /// <summary>
    /// A missing agent is reported by the sandbox's init (tini, catatonit) in its own words and exit codes: check first
    /// and say what to do, then exec the agent, so it is the init's direct child and gets signals and the terminal as usual.
    /// </summary>
    private static string InstalledGuard(AgentLaunch launch) =>
        $"command -v \"$1\" >/dev/null 2>&1 || {{ echo \"error: {launch.Agent} is not installed in namespace '{launch.Namespace}' ($1 is not on PATH)\" >&2; " +
        $"echo \"  fix: use a namespace made from the cli-agents template (airlock create namespace agents cli-agents), or install {launch.Agent} in this namespace's image\" >&2; exit 127; }}; exec \"$@\"";
}
