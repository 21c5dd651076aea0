using System.CommandLine;
using System.Text.Json;
using Airlock.Cli.Commands;
using Airlock.Cli.Terminal;
using Airlock.Engine.Exec;
using Airlock.Launcher;
using Airlock.Launcher.Config;
using Airlock.Launcher.Launch;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary>
/// The launch form, <c>airlock [NAMESPACE] [COMMAND...]</c>: bootstraps <c>default</c> on first run, creates with
/// <c>--create</c>, joins with <c>--join</c>, and otherwise runs a sandbox with the project mounted.
/// </summary>
public sealed class LaunchCommand
{
    /// <summary>The namespace of a bare <c>airlock</c> (or <c>airlock -- CMD</c>), bootstrapped on first use.</summary>
    public const string DefaultNamespace = "default";

    private readonly Argument<string?> _namespace = new("NAMESPACE") { Description = "The namespace to enter (default: default).", Arity = ArgumentArity.ZeroOrOne };
    private readonly ProgramArgument _command = new("COMMAND", ProgramWords.FromFirstWord) { Description = "What to run (default: the namespace's command, else the image's); every word from it on is its own. Put -- before it when it starts with -." };
    private readonly Option<string?> _create = new("--create") { Description = "Create the namespace first if missing, from TEMPLATE (default: default).", HelpName = "TEMPLATE", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _template = new("--template") { Description = "Deprecated alias for the --create template." };
    private readonly Option<string?> _image = new("--image") { Description = "Use another image for this launch only." };
    private readonly Option<string[]> _env = new("--env", "-e") { Description = "Set a variable: NAME=VALUE, or NAME to pass the host's value (repeatable).", HelpName = "NAME[=VALUE]" };
    private readonly Option<string[]> _forward = new("--forward") { Description = "Publish a port: PORT, HOST:CONTAINER, ADDR:HOST:CONTAINER, :HOST:CONTAINER, [::1]:HOST:CONTAINER.", HelpName = "SPEC" };
    private readonly Option<string[]> _volume = new("--volume") { Description = "Mount a host path: SRC[:DST][:ro]; ~ is the host home in SRC, the sandbox home in DST.", HelpName = "SRC[:DST]" };
    private readonly Option<int[]> _hostPort = new("--host-port") { Description = "Let the sandbox reach the host's 127.0.0.1:PORT at host.airlock.internal:PORT.", HelpName = "PORT" };
    private readonly Option<string?> _network = new("--network") { Description = $"Network for this launch: {NetworkModes.Names} (default: the namespace's network:, else open).", HelpName = "MODE" };
    private readonly Option<string[]> _allow = new("--allow") { Description = "With --network allowlist: also let through DEST (host, *.suffix, host:port, CIDR; repeatable).", HelpName = "DEST" };
    private readonly Option<string[]> _secret = new("--secret") { Description = "With --network allowlist: give NAME (a provider key such as OPENAI_API_KEY) as a placeholder; the policy point adds the value, read from SOURCE (env:VAR, file:PATH, command:CMD; default env:NAME), to requests to its provider (repeatable).", HelpName = "NAME[=SOURCE]" };
    private readonly Option<string?> _display = new("--display") { Description = "Display forwarding: x11, wayland, auto or none." };
    private readonly Option<string?> _isolation = new("--isolation") { Description = $"Isolation level for this launch: {IsolationLevels.Names} (default: the namespace's isolation:, else container).", HelpName = "LEVEL" };
    private readonly Option<string?> _commandFlag = new("--command") { Description = "Override the namespace's default command (shell-split).", HelpName = "\"CMD ARGS\"" };
    private readonly Option<string?> _join = new("--join") { Description = "Exec into a running session (airlock list sessions) instead of starting one.", HelpName = "SESSION" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Print the resolved sandbox spec as JSON and run nothing." };
    private readonly Option<bool> _allowConcurrent = new("--allow-concurrent") { Description = "Run even if another sandbox works on this project." };
    private readonly Option<bool> _gpg = new("--gpg") { Description = "Copy the host's GPG keys into the namespace home so git can sign." };
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Mount the current directory even when it is, or holds, your home or Airlock's state directory (asked otherwise)." };

    public LaunchCommand()
    {
        _volume.Aliases.Add("-v");
    }

    /// <summary>The launch form's own options, on the root command.</summary>
    public IEnumerable<Option> Options => [_create, _template, _image, _env, _forward, _volume, _hostPort, _network, _allow, _secret, _display, _isolation, _commandFlag, _join, _dryRun, _allowConcurrent, _gpg, _yes];

    public void AttachTo(RootCommand root, CliContext context, Option<bool> version)
    {
        foreach (var option in Options)
        {
            root.Options.Add(option);
        }

        root.Arguments.Add(_namespace);
        root.Arguments.Add(_command);
        root.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(version))
            {
                parse.InvocationConfiguration.Output.WriteLine(AirlockVersion.Line);
                return ExitCodes.Ok;
            }

            return await RunAsync(context, parse, ct);
        });
    }

    private async Task<int> RunAsync(CliContext context, ParseResult parse, CancellationToken ct)
    {
        using var services = await LauncherServices.ConnectAsync(context, ct);
        var config = services.Namespaces.LoadConfig();
        var name = parse.GetValue(_namespace);
        var createRequested = parse.GetResult(_create) is not null;
        // Bare `airlock` (or `airlock -- CMD`): the first run bootstraps 'default'; later runs enter it.
        name ??= DefaultNamespace;
        createRequested |= name == DefaultNamespace && config.Namespaces.Count == 0;

        var dryRun = parse.GetValue(_dryRun);
        var isolation = parse.GetValue(_isolation);
        // Checked before a --create builds anything.
        LaunchPlanner.IsolationFlag(isolation);
        NamespacePlan? proposed = null;
        if (!config.Namespaces.ContainsKey(name))
        {
            if (!createRequested)
            {
                throw new LauncherException($"no namespace named '{name}'. Create it with: airlock {name} --create [TEMPLATE], or see: airlock list namespaces");
            }

            var template = parse.GetValue(_create) ?? parse.GetValue(_template);
            if (dryRun)
            {
                // --dry-run creates nothing, not even the namespace a real launch would create first: plan with the entry it would get.
                proposed = await services.Namespaces.PlanCreateAsync(name, template, ct);
                if (proposed.WithheldNetwork is { } withheld)
                {
                    TemplateNetworkWarning.Write(services, name, withheld);
                }
            }
            else
            {
                await CreateCommand.CreateNamespaceAsync(services, name, template, ct, ifMissing: true);
            }
        }

        var entry = proposed?.Entry ?? services.Namespaces.Get(name);
        var command = parse.GetValue(_command) is { Length: > 0 } positional ? positional : null;
        if (parse.GetValue(_join) is { } session)
        {
            return await JoinAsync(services, name, session, command, ct);
        }

        var tty = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;
        var request = new LaunchRequest
        {
            Namespace = name,
            ProjectDir = Directory.GetCurrentDirectory(),
            Command = command,
            CommandFlag = parse.GetValue(_commandFlag),
            Image = parse.GetValue(_image),
            Env = parse.GetValue(_env) ?? [],
            Forwards = parse.GetValue(_forward) ?? [],
            Volumes = parse.GetValue(_volume) ?? [],
            HostPorts = parse.GetValue(_hostPort) ?? [],
            Network = parse.GetValue(_network),
            Allow = parse.GetValue(_allow) ?? [],
            Secrets = parse.GetValue(_secret) ?? [],
            Display = parse.GetValue(_display),
            Isolation = isolation,
            Gpg = parse.GetValue(_gpg),
            AllowConcurrent = parse.GetValue(_allowConcurrent),
            Tty = tty,
            BroadProjectConfirmed = parse.GetValue(_yes),
        };
        var plan = SandboxRun.Plan(services, name, entry, request);

        if (dryRun)
        {
            var withheld = proposed?.WithheldNetwork;
            IReadOnlyList<string> notices = proposed is null ? plan.Warnings
                :
                [
                    $"namespace '{name}' does not exist yet: without --dry-run it is first created from template '{proposed.Entry.Template}'",
                    .. withheld is null ? [] : new[] { string.Join('\n', TemplateNetworkWarning.Lines(services, name, withheld)) },
                    .. plan.Warnings,
                ];
            var dry = new DryRun(plan.SessionName, plan.DisplayMode, notices, plan.LabelledSpec, plan.Secrets.Select(x => x.Describe()).ToList())
            {
                TemplateNetworkWithheld = withheld is null ? null : new WithheldTemplateNetwork(withheld.Template, withheld.Mode, withheld.Allow),
            };
            // The console's own writer: Spectre wraps a line at the console's width, which would break a long JSON string in two.
            context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(dry, LauncherJson.Default.DryRun));
            return ExitCodes.Ok;
        }

        return await SandboxRun.RunAsync(services, name, entry, request, plan, ct);
    }

    private static async Task<int> JoinAsync(LauncherServices services, string ns, string session, string[]? command, CancellationToken ct)
    {
        var sandbox = await services.Runtime.TryInspectAsync(session, ct);
        if (sandbox is null || sandbox.Owner.Role != SandboxOwner.Roles.Launcher || !sandbox.Running)
        {
            throw new LauncherException($"no running session named '{session}'; see: airlock list sessions");
        }

        if (sandbox.Owner.Namespace is { } owner && owner != ns)
        {
            throw new LauncherException($"session '{session}' belongs to namespace '{owner}', not '{ns}'; run: airlock {owner} --join {session}");
        }

        var tty = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;
        var options = new ExecOptions
        {
            Command = command ?? ["bash", "-l"],
            Tty = tty,
            AttachStdin = true,
            User = sandbox.User,
            WorkingDirectory = sandbox.WorkingDirectory,
        };
        return await new TerminalSession(services.Runtime).RunExecAsync(sandbox.Id, options, ct);
    }
}
