using System.CommandLine;
using System.Text.Json;
using Airlock.Cli.Commands;
using Airlock.Cli.Help;
using Airlock.Cli.Launcher;
using Airlock.Cli.Terminal;
using Airlock.Launcher;
using Airlock.Launcher.Agents;
using Airlock.Launcher.Config;
using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Specs;
using Spectre.Console;

namespace Airlock.Cli.Agents;

/// <summary>
/// <c>airlock run AGENT [ARGS...]</c>: the agent in the project's agents namespace, with the project mounted (the
/// launcher's own launch path), only the agent's own variables forwarded, its args untouched and its exit code back.
/// </summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var agent = new Argument<string?>("AGENT") { Description = $"The agent: {string.Join(", ", AgentCatalog.Names)}.", Arity = ArgumentArity.ZeroOrOne };
        var args = new ProgramArgument("ARGS", ProgramWords.Verbatim) { Description = "Passed to the agent as they are (--help, -v and -- included)." };
        var ns = new Option<string?>("--namespace", "-n") { Description = $"The namespace to run in (default: {AgentCatalog.DefaultNamespace}, created from the {AgentCatalog.Template} template on first use).", HelpName = "NS" };
        var env = new Option<string[]>("--env", "-e") { Description = "Also set a variable: NAME=VALUE, or NAME to pass the host's value (repeatable).", HelpName = "NAME[=VALUE]" };
        var volume = new Option<string[]>("--volume", "-v") { Description = "Mount a host path: SRC[:DST][:ro] (repeatable).", HelpName = "SRC[:DST]" };
        var forward = new Option<string[]>("--forward") { Description = "Publish a port: PORT, HOST:CONTAINER, ADDR:HOST:CONTAINER (repeatable).", HelpName = "SPEC" };
        var hostPort = new Option<int[]>("--host-port") { Description = "Let the agent reach the host's 127.0.0.1:PORT at host.airlock.internal:PORT (a local model server).", HelpName = "PORT" };
        var network = new Option<string?>("--network") { Description = $"Network for this run: {NetworkModes.Names} (default: the namespace's network:, else open).", HelpName = "MODE" };
        var allow = new Option<string[]>("--allow") { Description = "With --network allowlist: also let the agent reach DEST (host, *.suffix, host:port, CIDR; repeatable).", HelpName = "DEST" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the resolved sandbox spec as JSON (forwarded secrets hidden) and run nothing." };
        var allowConcurrent = new Option<bool>("--allow-concurrent") { Description = "Run even if another sandbox works on this project." };
        var gpg = new Option<bool>("--gpg") { Description = "Copy the host's GPG keys into the namespace home so the agent's commits can be signed." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Mount the current directory even when it is, or holds, your home or Airlock's state directory (asked otherwise)." };

        var run = new Command("run", "Run a coding agent in the project's agents namespace.")
        {
            agent, args, ns, env, volume, forward, hostPort, network, allow, dryRun, allowConcurrent, gpg, yes,
        };
        run.WithHelp(
            $"""
            Runs AGENT in namespace '{AgentCatalog.DefaultNamespace}' (or --namespace NS) with the current directory mounted, as
            the bare launcher does. The first run creates '{AgentCatalog.DefaultNamespace}' from the {AgentCatalog.Template} template (a few minutes).
            Everything after AGENT is the agent's: airlock's own options go before it.

            Environment: the host variables the agent reads (its allowlist: API keys, base URLs, model settings; see
            docs/agents.md) are forwarded when set, and AIRLOCK_ENV_NAME=value on the host is forwarded as NAME=value.
            Nothing else of the host's environment goes in. -e adds more for one run.

            Logins and settings (~/.claude, ~/.codex, ...) live in the namespace home, so they persist between runs.
            The agent's exit code is airlock's.
            """,
            "airlock run claude                          # Claude Code on this project",
            "airlock run codex exec \"fix the failing test\"",
            "airlock run gemini --help                   # the agent's help, not airlock's",
            "AIRLOCK_ENV_HTTPS_PROXY=http://proxy:3128 airlock run opencode",
            "airlock run --host-port 11434 -e OLLAMA_API_BASE=http://host.airlock.internal:11434 aider",
            "airlock run --namespace work pi -p \"summarise README.md\"",
            "airlock run --network allowlist --allow api.anthropic.com claude   # only its model provider",
            "airlock run --dry-run claude                # what would run, and which variables go in",
            "airlock list agents                         # which agents are installed, and their versions");
        run.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(agent)
                ?? throw new LauncherException($"name the agent to run: airlock run AGENT [ARGS...]. Known agents: {string.Join(", ", AgentCatalog.Names)}");
            var definition = AgentCatalog.Get(name);
            var options = new RunOptions(
                parse.GetValue(ns),
                parse.GetValue(env) ?? [],
                parse.GetValue(volume) ?? [],
                parse.GetValue(forward) ?? [],
                parse.GetValue(hostPort) ?? [],
                parse.GetValue(network),
                parse.GetValue(allow) ?? [],
                parse.GetValue(dryRun),
                parse.GetValue(allowConcurrent),
                parse.GetValue(gpg),
                parse.GetValue(yes));
            return await RunAsync(context, definition, parse.GetValue(args) ?? [], options, ct);
        });
        return run;
    }

    private sealed record RunOptions(
        string? Namespace,
        IReadOnlyList<string> Env,
        IReadOnlyList<string> Volumes,
        IReadOnlyList<string> Forwards,
        IReadOnlyList<int> HostPorts,
        string? Network,
        IReadOnlyList<string> Allow,
        bool DryRun,
        bool AllowConcurrent,
        bool Gpg,
        bool Yes);

    private static async Task<int> RunAsync(CliContext context, AgentDefinition agent, string[] agentArgs, RunOptions options, CancellationToken ct)
    {
        // Resolved before anything is created: a malformed AIRLOCK_ENV_ variable must not cost a namespace build.
        var agentEnv = AgentEnvironment.Resolve(agent, context.VariableNames(), context.GetVariable);

        using var services = await LauncherServices.ConnectAsync(context, ct);
        var name = options.Namespace ?? AgentCatalog.DefaultNamespace;
        NamespaceConfig? proposed = null;
        if (!services.Namespaces.LoadConfig().Namespaces.ContainsKey(name))
        {
            if (options.Namespace is not null)
            {
                throw new LauncherException(
                    $"no namespace named '{name}'. Create it with the agents installed: airlock create namespace {name} {AgentCatalog.Template}, or see: airlock list namespaces");
            }

            if (options.DryRun)
            {
                // A baked-in template (or the user's own of that name): trusted, so nothing is withheld.
                proposed = (await services.Namespaces.PlanCreateAsync(name, AgentCatalog.Template, ct)).Entry;
            }
            else
            {
                context.Error.MarkupLineInterpolated($"namespace '{name}' does not exist yet: creating it from the {AgentCatalog.Template} template (once; this takes a few minutes)");
                await CreateCommand.CreateNamespaceAsync(services, name, AgentCatalog.Template, ct, ifMissing: true);
            }
        }

        var entry = proposed ?? services.Namespaces.Get(name);
        var request = new LaunchRequest
        {
            Namespace = name,
            ProjectDir = Directory.GetCurrentDirectory(),
            Command = [agent.Binary, .. agentArgs],
            // The agent's variables first, so an explicit -e for the same name wins.
            Env = [.. agentEnv.AsFlags(), .. options.Env],
            Forwards = options.Forwards,
            Volumes = options.Volumes,
            HostPorts = options.HostPorts,
            Network = options.Network,
            Allow = options.Allow,
            AgentSecrets = agentEnv.Secrets,
            Gpg = options.Gpg,
            AllowConcurrent = options.AllowConcurrent,
            Tty = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected,
            BroadProjectConfirmed = options.Yes,
        };
        var plan = SandboxRun.Plan(services, name, entry, request);
        if (options.DryRun)
        {
            IReadOnlyList<string> notices = proposed is null ? plan.Warnings
                : [$"namespace '{name}' does not exist yet: without --dry-run it is first created from template '{AgentCatalog.Template}'", .. plan.Warnings];
            var dry = AgentDryRun.From(agent, name, plan, agentEnv, notices);
            // The console's own writer: Spectre wraps a line at the console's width, which would break a long JSON string in two.
            context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(dry, AgentJson.Default.AgentDryRun));
            return ExitCodes.Ok;
        }

        return await RunAgentAsync(services, agent, name, entry, request, plan, ct);
    }

    /// <summary>
    /// Runs a planned agent sandbox and turns "the agent is not there" into an error saying how to add it. The image is
    /// asked only when the run failed the way a missing binary makes it fail (tini exits 127 like a shell; podman's
    /// catatonit exits 1, "failed to exec pid1", when it has a terminal), so a normal run pays nothing for the check and
    /// an agent's own 127 or 1 still comes back.
    /// </summary>
    internal static async Task<int> RunAgentAsync(
        LauncherServices services, AgentDefinition agent, string name, NamespaceConfig entry, LaunchRequest request, LaunchPlan plan, CancellationToken ct)
    {
        int exitCode;
        try
        {
            exitCode = await SandboxRun.RunAsync(services, name, entry, request, plan, ct);
        }
        catch (CommandStartException ex) when (ex.ExitCode == 127)
        {
            throw new LauncherException(NotInstalled(agent, name, entry));
        }

        if (exitCode is 127 or 1 && !await AgentBinaryProbe.IsOnPathAsync(services.Runtime, plan.Spec.Image, agent.Binary, ct))
        {
            throw new LauncherException(NotInstalled(agent, name, entry));
        }

        return exitCode;
    }

    /// <summary>What to do when the agent's binary is not in the namespace's image, depending on how the image was made.</summary>
    internal static string NotInstalled(AgentDefinition agent, string ns, NamespaceConfig entry)
    {
        var what = $"{agent.DisplayName} ({agent.Binary}) is not installed in namespace '{ns}' (image {entry.Image}, template {entry.Template ?? "unknown"})";
        var fix = entry.Template != AgentCatalog.Template
            ? $"rebuild it from the agents template: airlock rebuild namespace {ns} --template {AgentCatalog.Template} (your home is kept), or use a namespace made from it: airlock create namespace NAME {AgentCatalog.Template}"
            : agent.Name switch
            {
                "aider" => $"Aider is optional (it comes from PyPI): set ARG AIRLOCK_WITH_AIDER=1 in {entry.BuildDir}Dockerfile, then: airlock rebuild namespace {ns}",
                "crush" => $"Crush's installer downloads its binary from GitHub, which the build could not reach: set ARG AIRLOCK_WITH_CRUSH=1 in {entry.BuildDir}Dockerfile to see why, then: airlock rebuild namespace {ns}",
                _ => $"refresh the build dir from the template and rebuild: airlock rebuild namespace {ns} --refresh-template",
            };
        return $"{what}. Fix: {fix}. See what is installed: airlock list agents --namespace {ns}";
    }
}
