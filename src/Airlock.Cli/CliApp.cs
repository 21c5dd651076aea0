using System.CommandLine;
using System.CommandLine.Invocation;
using Airlock.Cli.Agents;
using Airlock.Cli.Commands;
using Airlock.Cli.Conduit;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;
using Airlock.Cli.Launcher;
using Airlock.Cli.Mcp;
using Airlock.Cli.Remote;
using Airlock.Cli.Server;
using Airlock.Cli.Terminal;

namespace Airlock.Cli;

/// <summary>The <c>airlock</c> command tree, and the one place exceptions become messages and exit codes.</summary>
public static class CliApp
{
    /// <summary>
    /// No response files: airlock does not document them, and an <c>@word</c> must reach a command as it is, never be
    /// replaced by the contents of a host file of that name.
    /// </summary>
    public static ParserConfiguration ParserSettings => new() { ResponseFileTokenReplacer = null };

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        // The cheapest possible path: no command tree, no console, no engine.
        if (args is ["--version"] or ["-V"])
        {
            // Straight to fd 1: initialising System.Console (encodings, terminfo on a terminal) would cost more than the rest.
            new FdWriteStream(1).Write(System.Text.Encoding.UTF8.GetBytes(AirlockVersion.Line + "\n"));
            return ExitCodes.Ok;
        }

        // No short form: -v is --volume on the launch form.
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces of unexpected errors.", Recursive = true };
        var root = BuildRoot(context, verbose);
        var line = CommandLineSplitter.Split(args, root);
        if (line.Unknown.Count > 0)
        {
            // Before anything runs: an unknown option must never reach a sandbox as its command.
            return CommandLineErrors.Report(context, line.Unknown);
        }

        var parse = root.Parse(line.Args, ParserSettings);
        context.Verbose = parse.GetValue(verbose);

        if (parse.Action is ParseErrorAction)
        {
            return CommandLineErrors.Report(context, parse);
        }

        using var signals = new ShutdownSignals();
        try
        {
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(config, signals.Token);
        }
        catch (OperationCanceledException) when (signals.ExitCode is { } code)
        {
            return code;
        }
        catch (CommandStartException ex)
        {
            ErrorReporter.Write(context, ex.Message, "check the command's name and that it exists in the image");
            return ex.ExitCode;
        }
        catch (Exception ex)
        {
            return ErrorReporter.Report(context, ex);
        }
    }

    public static RootCommand BuildRoot(CliContext context, Option<bool> verbose)
    {
        var root = new RootCommand("Airlock runs AI coding agents and other development tools inside isolated container sandboxes (podman or Docker).")
        {
            verbose,
            DoctorCommand.Create(context),
            EngineCommand.Create(context),
            CreateCommand.Create(context),
            ListCommand.Create(context),
            EgressCommand.Create(context),
            RunCommand.Create(context),
            NamespaceVerbs.Reset(context),
            NamespaceVerbs.Rebuild(context),
            NamespaceVerbs.Delete(context),
            EditorCommands.Edit(context),
            EditorCommands.Config(context),
            CompletionCommand.Create(context),
            ServerCommands.Serve(context),
            ServerCommands.Migrate(context),
            ServerCommands.Audit(context),
            ServerCommands.Backup(context),
            ConduitCommand.Create(context),
            McpCommand.Create(context),
            SandboxCommands.Create(context),
            TenantCommands.Create(context),
            KeyCommands.Create(context),
            SecretCommands.Create(context),
            SnapshotCommands.Create(context),
        };
        root.WithHelp(
            """
            Exit codes: 0 ok; 2 wrong input or set-up (the message says how to fix it); 3 the container engine (or the server's database) cannot be
            reached (the message says how to start it); 1 a bug (add --verbose for the stack trace). Commands that run
            something in a container exit with that command's exit code.

            Settings (environment): AIRLOCK_ENGINE selects the engine (podman, docker, unix:///path.sock, tcp://host:port);
            AIRLOCK_BASE_IMAGE the base image (default localhost/airlock-base:bookworm); NO_COLOR turns colour off.
            The sandbox, tenant, key, secret and snapshot commands talk to an `airlock serve` at AIRLOCK_SERVER (or --server) with
            the API key or token in AIRLOCK_TOKEN; for them exit 3 means the server cannot be reached.
            """,
            "airlock doctor                                   # is everything set up?",
            "airlock engine run -it localhost/airlock-base:bookworm bash",
            "airlock run claude                               # a coding agent on this project (docs/agents.md)",
            "airlock work --create base --isolation gvisor -- cat /proc/version   # gVisor's kernel, not the host's",
            "airlock --version");

        // Replace the library's version option, so `airlock --version` prints the same line as the fast path.
        foreach (var option in root.Options.OfType<VersionOption>().ToList())
        {
            root.Options.Remove(option);
        }

        var version = new Option<bool>("--version", "-V") { Description = "Show Airlock's version." };
        root.Options.Add(version);
        new LaunchCommand().AttachTo(root, context, version);
        HelpExtras.Install(root);
        return root;
    }
}
