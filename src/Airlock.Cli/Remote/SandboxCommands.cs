using System.CommandLine;
using System.Text.RegularExpressions;
using Airlock.Cli.Commands;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;
using Airlock.Client;
using Spectre.Console;

namespace Airlock.Cli.Remote;

/// <summary><c>airlock sandbox ...</c>: a tenant's sandboxes on an <c>airlock serve</c>, through its API.</summary>
public static partial class SandboxCommands
{
    internal const string ListFix = "see `airlock sandbox list` for the sandboxes this key can see";

    public static Command Create(CliContext context)
    {
        var command = new Command("sandbox", "Create, run, watch and delete sandboxes on an Airlock server (airlock serve).")
        {
            CreateCommand(context), ListCommand(context), GetCommand(context), LogsCommand(context), ExecCommand(context), ShellCommand(context),
            StateCommand(context, "stop", "Stop a running sandbox (SIGTERM, then SIGKILL after 10 s); it keeps its quota until deleted."),
            StateCommand(context, "start", "Start a stopped sandbox again."),
            StateCommand(context, "pause", "Freeze a running sandbox (the engine's freezer): its memory is kept and nothing in it runs until resumed; it keeps its quota."),
            StateCommand(context, "resume", "Thaw a paused sandbox; its processes go on where they were."),
            TimeoutCommand(context),
            DeleteCommand(context), SnapshotCommand(context), SandboxCopyCommand.Create(context),
            SandboxEgressCommands.EgressCommand(context), SandboxEgressCommands.NetworkCommand(context),
        };
        command.WithHelp(
            $"""
            Talks to the server at --server (default ${ServerConnection.ServerVariable}, else {ServerConnection.DefaultServer}) with the API key
            or token in ${ServerConnection.TokenVariable}. Sandboxes belong to the key's tenant. SANDBOX is a sandbox's id or its name.

            Exit codes: 0 ok; 2 the server refused the request (the message is the server's and says why); 3 the server
            cannot be reached; 1 a bug. `sandbox exec` exits with the command's own exit code.
            """,
            "export AIRLOCK_SERVER=http://127.0.0.1:8470 AIRLOCK_TOKEN=alk_...",
            "airlock sandbox create build-1 --image localhost/airlock-base:bookworm -- sleep infinity",
            "airlock sandbox list",
            "airlock sandbox exec build-1 -- uname -a",
            "airlock sandbox shell build-1",
            "airlock sandbox egress build-1",
            "airlock sandbox delete build-1");
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var name = new Argument<string>("NAME") { Description = "The sandbox's name, unique in the tenant: lower-case letters, digits and '-'." };
        var image = new Option<string>("--image") { Description = "The image to run.", Required = true };
        var cpus = new Option<double?>("--cpus") { Description = "CPUs it may use (default 1); reserved from the tenant's quota." };
        var memory = SizeOption.Create("--memory", "Memory ceiling, e.g. 512m or 2g (default 1g); reserved from the quota.", "-m");
        var pids = new Option<long?>("--pids") { Description = "Most processes at once (default 4096)." };
        var env = new Option<string[]>("--env", "-e") { Description = "An environment variable KEY=VALUE (repeatable).", HelpName = "KEY=VALUE" };
        var label = new Option<string[]>("--label", "-l") { Description = "A label KEY=VALUE to find it by (repeatable).", HelpName = "KEY=VALUE" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the sandbox." };
        var network = new Option<string?>("--network")
        {
            Description = "none (loopback only, the default), allowlist (only the --allow destinations, through an egress proxy that records every connection) "
                + "or open (the internet, but no other sandbox nor the host); bridge is the old name of open. The tenant's egress ceiling bounds it.",
            HelpName = "MODE",
        };
        var allow = EgressAllowOption.Create("--allow", "A destination an allowlist sandbox may reach (with --network allowlist).");
        var isolation = new Option<string?>("--isolation") { Description = "container or gvisor (gVisor's kernel between the sandbox and the host's); the tenant's default when left out." };
        var secret = new Option<string[]>("--secret")
        {
            Description = "A tenant secret the sandbox gets (repeatable; with --network allowlist): its variable holds a placeholder, and the sandbox's egress proxy puts the value into requests to the secret's hosts. See `airlock secret`.",
            HelpName = "NAME",
        };
        var lifetime = new Option<int?>("--timeout") { Description = "Seconds the sandbox lives (up to 30 days); then it is stopped, or deleted with --on-timeout delete. `airlock sandbox timeout` moves it.", HelpName = "SECONDS" };
        var onTimeout = new Option<string?>("--on-timeout") { Description = "What a timeout does: stop (the default; it keeps its files and quota until deleted) or delete.", HelpName = "stop|delete" };
        var idle = new Option<int?>("--idle-timeout") { Description = "Seconds it may run unused through the API (exec, shell, files, logs) before it ends as --on-timeout says.", HelpName = "SECONDS" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the new sandbox's id." };
        var argv = new ProgramArgument("COMMAND", ProgramWords.FromFirstWord) { Description = "The command and its arguments, after the options (or after --); the image's own command when left out." };
        var command = remote.AddTo(new Command("create", "Create a sandbox and start it.") { name, image, cpus, memory, pids, env, label, workdir, network, allow, isolation, secret, lifetime, onTimeout, idle, quiet, argv });
        command.WithHelp(
            "Answers once the sandbox runs. A create over the tenant's quota is refused, naming the limit; one asking for more network than the tenant's "
            + "egress ceiling allows is refused, naming each destination beyond it (see `airlock tenant egress`). An allowlist sandbox's connections are "
            + "listed by `airlock sandbox egress`, and `airlock sandbox network` changes its destinations while it runs.",
            "airlock sandbox create build-1 --image localhost/airlock-base:bookworm -- sleep infinity",
            "airlock sandbox create ci --image localhost/airlock-base:bookworm --cpus 2 -m 2g -e CI=1 -l team=red --network none -- sleep 3600",
            "airlock sandbox create fenced --image localhost/airlock-base:bookworm --network allowlist --allow github.com --allow '*.npmjs.org' -- sleep infinity",
            "airlock sandbox create web --image localhost/airlock-base:bookworm --network open -- sleep infinity",
            "airlock sandbox create untrusted --image localhost/airlock-base:bookworm --isolation gvisor -- sleep infinity",
            "airlock sandbox create scratch --image localhost/airlock-base:bookworm --timeout 3600 --on-timeout delete --idle-timeout 600 -- sleep infinity",
            "airlock sandbox create agent --image localhost/airlock-base:bookworm --network allowlist --allow api.openai.com --secret OPENAI_API_KEY -- sleep infinity",
            "ID=$(airlock sandbox create job --image localhost/airlock-base:bookworm -q -- sleep infinity)");
        command.SetAction(async (parse, ct) =>
        {
            var networkBody = NetworkOf(parse.GetValue(network), EgressAllowOption.Read(parse, allow));
            var secrets = EgressAllowOption.Read(parse, secret);
            if (secrets.Count > 0 && networkBody?.Mode != "allowlist")
            {
                throw new UserInputException(
                    $"--secret needs --network allowlist (the value is filled in by the sandbox's egress proxy, which only an allowlist sandbox goes through), and {(networkBody is null ? "--network was left out (none)" : $"--network is {networkBody.Mode}")}",
                    "add --network allowlist with --allow for the secret's hosts, or leave --secret out");
            }

            if (parse.GetValue(onTimeout) is { } ending && ending is not ("stop" or "delete"))
            {
                throw new UserInputException($"--on-timeout '{ending}' is neither stop nor delete", "give --on-timeout stop (keep the sandbox, stopped) or --on-timeout delete");
            }

            var (envs, labels) = KeyValueArguments.ParseBoth(
                () => KeyValueArguments.Parse("--env", parse.GetValue(env)),
                () => KeyValueArguments.Parse("--label", parse.GetValue(label)));
            var cpu = parse.GetValue(cpus);
            var mem = parse.GetValue(memory);
            var pid = parse.GetValue(pids);
            var args = parse.GetValue(argv) ?? [];
            var body = new CreateSandboxBody(
                parse.GetRequiredValue(name),
                parse.GetRequiredValue(image),
                args.Length == 0 ? null : args,
                envs.Count == 0 ? null : envs,
                labels.Count == 0 ? null : labels,
                parse.GetValue(workdir),
                cpu is null && mem is null && pid is null ? null : new SandboxLimits(cpu, mem, pid),
                networkBody,
                parse.GetValue(isolation),
                secrets.Count == 0 ? null : secrets,
                parse.GetValue(lifetime),
                parse.GetValue(onTimeout),
                parse.GetValue(idle));
            using var server = remote.Connect(context, parse);
            var created = await server.CallAsync(c => c.Sandboxes.CreateAsync(body, ct));
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, created, RemoteOutputJson.Default.Sandbox);
            }
            else if (parse.GetValue(quiet))
            {
                context.Out.WriteLine(created.Id);
            }
            else
            {
                context.Out.WriteLine($"sandbox {created.Name} ({created.Id}) is {created.State}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The create body's network: the object form, bridge sent as open. A mode this client does not know is sent as it
    /// is, so the server's 400 (which lists the modes) answers for it.
    /// </summary>
    private static SandboxNetwork? NetworkOf(string? mode, List<string> allow)
    {
        var normalised = mode?.Trim().ToLowerInvariant() switch
        {
            "bridge" => "open",
            { } other => other,
            null => null,
        };
        if (allow.Count > 0 && normalised != "allowlist")
        {
            throw new UserInputException(
                $"--allow needs --network allowlist (only an allowlist sandbox has destinations), and {(mode is null ? "--network was left out (none)" : $"--network is {mode}")}",
                "add --network allowlist to reach only the --allow destinations, or leave --allow out (an open sandbox reaches every public destination already)");
        }

        return normalised is null ? null : new SandboxNetwork(normalised, normalised == "allowlist" ? allow : null);
    }

    private static Command ListCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var state = new Option<string?>("--state") { Description = "Only sandboxes in this state: creating, running, stopped, exited, failed, deleting." };
        var label = new Option<string[]>("--label", "-l") { Description = "Only sandboxes with this label KEY=VALUE (repeatable: all must match).", HelpName = "KEY=VALUE" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print ids only, one per line." };
        var command = remote.AddTo(new Command("list", "List the tenant's sandboxes (all pages), oldest first.") { state, label, quiet });
        command.Aliases.Add("ls");
        command.WithHelp(null, "airlock sandbox list", "airlock sandbox list --state running -l team=red", "airlock sandbox list --json | jq -r '.[].id'");
        command.SetAction(async (parse, ct) =>
        {
            var filters = KeyValueArguments.Parse("--label", parse.GetValue(label));
            var query = new SandboxQuery(parse.GetValue(state), filters.Count == 0 ? null : filters, PageSize: 200);
            using var server = remote.Connect(context, parse);
            var all = await ListAllAsync(server, query, ct);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, all, RemoteOutputJson.Default.ListSandbox);
            }
            else if (parse.GetValue(quiet))
            {
                all.ForEach(s => context.Out.WriteLine(s.Id));
            }
            else if (all.Count == 0)
            {
                context.Out.WriteLine("no sandboxes" + (query.State is not null || query.Labels is not null ? " match" : " yet: airlock sandbox create NAME --image IMAGE -- COMMAND"));
            }
            else
            {
                var table = RemoteOutput.Table("ID", "NAME", "STATE", "IMAGE", "CPUS", "MEMORY", "CREATED");
                foreach (var sb in all)
                {
                    table.AddRow(
                        Markup.Escape(sb.Id), Markup.Escape(sb.Name), StateMarkup(sb.State), Markup.Escape(sb.Image),
                        RemoteOutput.Number(sb.Cpus), RemoteOutput.Bytes(sb.MemoryBytes), RemoteOutput.Time(sb.CreatedAt));
                }

                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command GetCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxArgument();
        var command = remote.AddTo(new Command("get", "Show one sandbox: state, image, network, limits, labels, exit code.") { id });
        command.Aliases.Add("show");
        command.WithHelp(null, "airlock sandbox get build-1", "airlock sandbox get sb01a2... --json");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var sandbox = await ResolveAsync(server, parse.GetRequiredValue(id), ct);
            Print(context, remote, parse, sandbox);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command LogsCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxArgument();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the sandbox stops (or Ctrl-C)." };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines." };
        var command = remote.AddTo(new Command("logs", "Print a sandbox's output (stdout and stderr, as they came).") { id, follow, tail }, json: false);
        command.WithHelp(null, "airlock sandbox logs build-1", "airlock sandbox logs build-1 --follow --tail 20");
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(tail) is < 0)
            {
                throw new UserInputException($"--tail {parse.GetValue(tail)} is not a line count", "give 0 or more, e.g. --tail 100");
            }

            using var server = remote.Connect(context, parse);
            var sandbox = await ResolveAsync(server, parse.GetRequiredValue(id), ct);
            await using var body = await server.CallAsync(c => c.Sandboxes.LogsAsync(sandbox.Id, parse.GetValue(follow), parse.GetValue(tail), ct), ListFix);
            await using var stdout = System.Console.OpenStandardOutput();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                // Flushed chunk by chunk, so a followed log shows each line as the server sends it.
                await stdout.WriteAsync(buffer.AsMemory(0, read), ct);
                await stdout.FlushAsync(ct);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ExecCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxArgument();
        var env = new Option<string[]>("--env", "-e") { Description = "An environment variable KEY=VALUE for the command (repeatable).", HelpName = "KEY=VALUE" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory for the command." };
        var stdin = new Option<bool>("--stdin", "-i") { Description = "Send this process's stdin (read to its end) to the command." };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds the command may run (1 to 3600; the server's default is 300). Past it, airlock prints the output so far and exits 124.", HelpName = "SECONDS" };
        var argv = new ProgramArgument("COMMAND", ProgramWords.AfterLeadingArguments, required: true)
        {
            Description = "The command and its arguments. Everything after SANDBOX belongs to it, so exec's own options go before SANDBOX.",
        };
        var command = remote.AddTo(new Command("exec", "Run a command in a running sandbox, its output streamed as it comes; exits with its exit code.") { id, env, workdir, stdin, timeout, argv });
        command.WithHelp(
            "The command's stdout and stderr are written to this process's stdout and stderr as they come, and airlock exits with the command's exit code. "
            + "Ctrl-C (or a closed connection) kills the command in the sandbox. With --json the command runs to its end and the whole answer is printed "
            + "instead (the server keeps 1 MiB of each stream), and the exit code is still the command's. A command still running at its time limit "
            + "(--timeout) is killed, and airlock exits 124. For an interactive program, use `airlock sandbox shell`.",
            "airlock sandbox exec build-1 -- uname -a",
            "airlock sandbox exec -e CI=1 -w /tmp build-1 -- sh -c 'make test'",
            "airlock sandbox exec --json build-1 -- cat /etc/os-release",
            "echo hello | airlock sandbox exec --stdin build-1 -- cat",
            "airlock sandbox exec --timeout 1800 build-1 -- make all");
        command.SetAction(async (parse, ct) =>
        {
            var envs = KeyValueArguments.Parse("--env", parse.GetValue(env));
            var input = parse.GetValue(stdin) ? await System.Console.In.ReadToEndAsync(ct) : null;
            using var server = remote.Connect(context, parse);
            var sandbox = await ResolveAsync(server, parse.GetRequiredValue(id), ct);
            var body = new ExecBody(parse.GetRequiredValue(argv), envs.Count == 0 ? null : envs, parse.GetValue(workdir), input, parse.GetValue(timeout));
            if (!remote.WantsJson(parse))
            {
                return await RemoteExecStream.RunAsync(context, server, sandbox.Id, body, ct);
            }

            var result = await server.CallAsync(c => c.Sandboxes.ExecAsync(sandbox.Id, body, ct), ListFix);
            RemoteOutput.Json(context, result, RemoteOutputJson.Default.ExecResult);
            return result.ExitCode ?? RemoteExecStream.TimedOutExit;
        });
        return command;
    }

    private static Command ShellCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxArgument();
        var env = new Option<string[]>("--env", "-e") { Description = "An environment variable KEY=VALUE for the command (repeatable).", HelpName = "KEY=VALUE" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory for the command." };
        var argv = new ProgramArgument("COMMAND", ProgramWords.AfterLeadingArguments, required: false)
        {
            Description = "The program to run instead of a login shell (bash if the image has it, else sh), with its arguments.",
        };
        var command = remote.AddTo(new Command("shell", "An interactive terminal in a running sandbox (a login shell by default), like `docker exec -it`.") { id, env, workdir, argv });
        command.WithHelp(
            "With stdin a terminal, it is put in raw mode and the sandbox's command gets a pseudo-terminal of the same size, which follows the window; "
            + "the terminal is restored however the session ends. Without a terminal (a pipe), stdin is passed through and stdout and stderr stay apart. "
            + "airlock exits with the command's exit code. Closing the connection kills the command.",
            "airlock sandbox shell build-1",
            "airlock sandbox shell -w /work build-1 -- python3",
            "printf 'ls /\\nexit\\n' | airlock sandbox shell build-1");
        command.SetAction(async (parse, ct) =>
        {
            var envs = KeyValueArguments.Parse("--env", parse.GetValue(env));
            var words = parse.GetValue(argv) is { Length: > 0 } given ? given : LoginShell;
            using var server = remote.Connect(context, parse);
            var sandbox = await ResolveAsync(server, parse.GetRequiredValue(id), ct);
            if (sandbox.State != "running")
            {
                throw new UserInputException($"sandbox {sandbox.Name} ({sandbox.Id}) is {sandbox.State}, not running", $"start it first: airlock sandbox start {sandbox.Name}");
            }

            var io = Terminal.TerminalIo.Process;
            var size = System.Console.IsInputRedirected ? null : io.ReadSize();
            var start = new TerminalStart(words, envs.Count == 0 ? null : envs, parse.GetValue(workdir), size is not null, size?.Columns, size?.Rows);
            using var terminal = await server.CallAsync(c => c.Sandboxes.OpenTerminalAsync(sandbox.Id, start, ct), ListFix);
            return await new RemoteTerminal(io).RunAsync(terminal, start.Tty, ct);
        });
        return command;
    }

    /// <summary>bash as a login shell where the image has it, else sh.</summary>
    private static readonly IReadOnlyList<string> LoginShell = ["/bin/sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi"];

    private static Command TimeoutCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxArgument();
        var seconds = new Argument<int>("SECONDS") { Description = "Seconds from now until the sandbox ends (1 to 30 days)." };
        var command = remote.AddTo(new Command("timeout", "End a running or paused sandbox SECONDS from now (as its --on-timeout says; stop when it had no timeout).") { id, seconds });
        command.WithHelp(null, "airlock sandbox timeout build-1 3600", "airlock sandbox timeout build-1 86400 --json");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var sandbox = await ResolveAsync(server, parse.GetRequiredValue(id), ct);
            var after = await server.CallAsync(c => c.Sandboxes.SetTimeoutAsync(sandbox.Id, parse.GetValue(seconds), ct), ListFix);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, after, RemoteOutputJson.Default.Sandbox);
            }
            else
            {
                context.Out.WriteLine($"sandbox {after.Name} ({after.Id}) ends ({after.OnTimeout ?? "stop"}) at {RemoteOutput.Time(after.ExpiresAt!.Value)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command StateCommand(CliContext context, string verb, string description)
    {
        var remote = new RemoteOptions();
        var id = SandboxArgument();
        var command = remote.AddTo(new Command(verb, description) { id });
        command.WithHelp(null, $"airlock sandbox {verb} build-1");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var sandbox = await ResolveAsync(server, parse.GetRequiredValue(id), ct);
            var after = await server.CallAsync(
                c => verb switch
                {
                    "start" => c.Sandboxes.StartAsync(sandbox.Id, ct),
                    "stop" => c.Sandboxes.StopAsync(sandbox.Id, ct),
                    "pause" => c.Sandboxes.PauseAsync(sandbox.Id, ct),
                    _ => c.Sandboxes.ResumeAsync(sandbox.Id, ct),
                },
                ListFix);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, after, RemoteOutputJson.Default.Sandbox);
            }
            else
            {
                context.Out.WriteLine($"sandbox {after.Name} ({after.Id}) is {after.State}" + (after.ExitCode is { } code && after.State != "running" ? $" (exit code {code})" : ""));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var ids = new Argument<string[]>("SANDBOX") { Description = "Ids or names of the sandboxes to delete.", Arity = ArgumentArity.OneOrMore };
        var command = remote.AddTo(new Command("delete", "Delete sandboxes: their containers, then their records; their quota is given back.") { ids }, json: false);
        command.Aliases.Add("rm");
        command.WithHelp(null, "airlock sandbox delete build-1", "airlock sandbox list -q | xargs airlock sandbox delete");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            foreach (var given in parse.GetRequiredValue(ids))
            {
                var sandbox = await ResolveAsync(server, given, ct);
                await server.CallAsync(c => c.Sandboxes.DeleteAsync(sandbox.Id, ct), ListFix);
                context.Out.WriteLine($"deleted sandbox {sandbox.Name} ({sandbox.Id})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SnapshotCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxArgument();
        var name = new Option<string?>("--name") { Description = "The snapshot's name (the server picks one when left out)." };
        var command = remote.AddTo(new Command("snapshot", "Save a sandbox's filesystem as an image (a snapshot) to create sandboxes from.") { id, name });
        command.WithHelp("See `airlock snapshot list` and `airlock snapshot delete`.", "airlock sandbox snapshot build-1 --name after-setup");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var sandbox = await ResolveAsync(server, parse.GetRequiredValue(id), ct);
            var snapshot = await server.CallAsync(c => c.Sandboxes.SnapshotAsync(sandbox.Id, parse.GetValue(name), ct), ListFix);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, snapshot, RemoteOutputJson.Default.Snapshot);
            }
            else
            {
                context.Out.WriteLine($"snapshot {snapshot.Name} ({snapshot.Id}) of sandbox {sandbox.Name}: image {snapshot.Image}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static Argument<string> SandboxArgument() => new("SANDBOX") { Description = "The sandbox's id (sb...) or name." };

    /// <summary>Every page of a listing.</summary>
    private static Task<List<Sandbox>> ListAllAsync(ServerConnection server, SandboxQuery query, CancellationToken ct) =>
        server.CallAsync(async c => await c.Sandboxes.ListAsync(query, ct).ToListAsync(ct));

    /// <summary>A sandbox by its id, or else by its name (names are unique in a tenant).</summary>
    internal static async Task<Sandbox> ResolveAsync(ServerConnection server, string given, CancellationToken ct)
    {
        if (SandboxId().IsMatch(given))
        {
            return await server.CallAsync(c => c.Sandboxes.GetAsync(given, ct), ListFix);
        }

        var all = await ListAllAsync(server, new SandboxQuery(PageSize: 200), ct);
        return all.FirstOrDefault(s => string.Equals(s.Name, given, StringComparison.Ordinal))
            ?? throw new RemoteApiException(404, $"there is no sandbox named or with the id '{given}' in this key's tenant", [], ListFix, null);
    }

    internal static void Print(CliContext context, RemoteOptions remote, ParseResult parse, Sandbox sandbox)
    {
        if (remote.WantsJson(parse))
        {
            RemoteOutput.Json(context, sandbox, RemoteOutputJson.Default.Sandbox);
            return;
        }

        var fields = new List<(string, string)>
        {
            ("id", sandbox.Id), ("name", sandbox.Name), ("tenant", sandbox.Tenant), ("state", sandbox.State), ("image", sandbox.Image),
            ("isolation", sandbox.Isolation ?? "container"), ("network", sandbox.Network?.Describe() ?? "none"), ("node", sandbox.Node), ("cpus", RemoteOutput.Number(sandbox.Cpus)), ("memory", RemoteOutput.Bytes(sandbox.MemoryBytes)),
            ("labels", RemoteOutput.Labels(sandbox.Labels)), ("secrets", sandbox.Secrets is { Count: > 0 } secrets ? string.Join(", ", secrets) : "-"), ("created", RemoteOutput.Time(sandbox.CreatedAt)), ("updated", RemoteOutput.Time(sandbox.UpdatedAt)),
        };
        if (sandbox.ExpiresAt is { } expires)
        {
            fields.Add(("ends", $"{RemoteOutput.Time(expires)} ({sandbox.OnTimeout})"));
        }

        if (sandbox.IdleTimeoutSeconds is { } idle)
        {
            fields.Add(("idle timeout", $"{idle} s ({sandbox.OnTimeout})"));
        }

        if (sandbox.ExitCode is { } code)
        {
            fields.Add(("exit code", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (sandbox.Error is { } error)
        {
            fields.Add(("error", error));
        }

        RemoteOutput.Fields(context, fields);
    }

    private static string StateMarkup(string state) => state switch
    {
        "running" => "[green]running[/]",
        "paused" => "[yellow]paused[/]",
        "failed" => "[red]failed[/]",
        _ => Markup.Escape(state),
    };

    [GeneratedRegex("^sb[0-9a-f]{24}$")]
    private static partial Regex SandboxId();
}
