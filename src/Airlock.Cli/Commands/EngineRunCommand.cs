using System.CommandLine;
using Airlock.Cli.Engines;
using Airlock.Cli.Help;
using Airlock.Cli.Terminal;
using Airlock.Engine.Containers;
using Airlock.Sandboxes.Runtime;
using Spectre.Console;

namespace Airlock.Cli.Commands;

/// <summary>
/// <c>airlock engine run</c>: like <c>podman run --rm</c>: create a labelled container, attach before start, run it with
/// the terminal connected, remove it, and exit with the container's exit code.
/// </summary>
public static class EngineRunCommand
{
    public static Command Create(CliContext context)
    {
        var tty = new Option<bool>("--tty", "-t") { Description = "Give the container a terminal (the local one, in raw mode, with -i)." };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep stdin open and send it to the container." };
        var rm = new Option<bool>("--rm")
        {
            Description = "Remove the container when it exits (--rm=false keeps it).",
            DefaultValueFactory = _ => true,
        };
        var env = new Option<string[]>("--env", "-e") { Description = "Set an environment variable: KEY=VALUE, or KEY to pass this shell's value.", HelpName = "KEY=VALUE" };
        var label = new Option<string[]>("--label", "-l") { Description = "Add a label (io.airlock.owner=airlock is always set).", HelpName = "KEY=VALUE" };
        var name = new Option<string?>("--name") { Description = "Name the container (the engine picks one otherwise)." };
        var user = new Option<string?>("--user", "-u") { Description = "Run as this user: name, UID or UID:GID." };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container." };
        var init = new Option<bool>("--init") { Description = "Run an init as PID 1 that forwards signals and reaps zombies." };
        var image = new Argument<string>("IMAGE") { Description = "The image to run, e.g. localhost/airlock-base:bookworm." };
        var command = new ProgramArgument("COMMAND", ProgramWords.AfterLeadingArguments)
        {
            Description = "The command and its arguments (the image's default when empty). Everything after IMAGE belongs to it.",
        };

        var run = new Command("run", "Run a command in a new container, like `podman run --rm`.")
        {
            tty, interactive, rm, env, label, name, user, workdir, init, image, command,
        };
        run.WithHelp(
            """
            Runs a command in a new container, like `podman run --rm`. The container is labelled io.airlock.owner=airlock and
            removed afterwards (unless --rm=false). With -it the local terminal is put in raw mode and connected to the
            container: keys (Ctrl-C too) go to the container, window-size changes follow, and the terminal is restored
            when the container exits, is killed, or Airlock is stopped. Airlock exits with the container's exit code;
            127/126 when the command cannot be found/run, 130/143 when Airlock is interrupted/terminated (the container is
            then removed).
            """,
            "airlock engine run -it localhost/airlock-base:bookworm bash",
            "airlock engine run localhost/airlock-base:bookworm uname -a",
            "echo hi | airlock engine run -i localhost/airlock-base:bookworm cat",
            "airlock engine run -e FOO=bar -e HOME localhost/airlock-base:bookworm sh -c 'echo $FOO'",
            "AIRLOCK_ENGINE=docker airlock engine run --rm=false --name keep-me localhost/airlock-base:bookworm true");

        run.SetAction(async (parse, ct) =>
        {
            var (labels, environment) = KeyValueArguments.ParseBoth(
                () => KeyValueArguments.Parse("--label", parse.GetValue(label)),
                () => KeyValueArguments.Parse("--env", parse.GetValue(env), context.GetVariable));
            var options = new ContainerCreateOptions
            {
                Image = parse.GetRequiredValue(image),
                Command = parse.GetValue(command) is { Length: > 0 } cmd ? cmd : null,
                Environment = environment,
                Labels = labels,
                Name = parse.GetValue(name),
                User = parse.GetValue(user),
                WorkingDirectory = parse.GetValue(workdir),
                Init = parse.GetValue(init),
                Tty = parse.GetValue(tty),
                OpenStdin = parse.GetValue(interactive),
                StdinOnce = parse.GetValue(interactive),
            };
            using var runtime = await EngineConnector.ConnectAsync(context, ct);
            return await RunAsync(context, runtime, options, parse.GetValue(rm), ct);
        });
        return run;
    }

    /// <summary>
    /// Creates, runs and (with <paramref name="remove"/>) removes the container; cancellation always removes it. The
    /// container is the engine's plain one, as asked (a raw tool, compared with the engine's own <c>run</c>), not a sandbox.
    /// </summary>
    public static async Task<int> RunAsync(CliContext context, ISandboxRuntime runtime, ContainerCreateOptions options, bool remove, CancellationToken ct)
    {
        string? id = null;
        var completed = false;
        try
        {
            id = await runtime.CreateUnhardenedAsync(options, new SandboxOwner { Role = SandboxOwner.Roles.EngineRun }, ct);
            var code = await new TerminalSession(runtime).RunContainerAsync(id, options.OpenStdin, options.Tty, ct);
            completed = true;
            return code;
        }
        finally
        {
            if (id is not null && (remove || !completed))
            {
                // Not with ct: it may be the cancellation that brought us here, and the container must go regardless.
                using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await runtime.RemoveAsync(id, RemoveMode.Wait, cleanup.Token);
                }
                catch (Airlock.Engine.Errors.EngineConflictException ex) when (ex.Message.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
                {
                    // Someone else (docker rm -f) is removing it already: it goes away either way.
                }
                catch (Exception ex) when (ex is Airlock.Engine.Errors.EngineException or OperationCanceledException)
                {
                    context.Error.MarkupLine("[yellow]warning:[/] " + Markup.Escape($"could not remove container {id[..Math.Min(12, id.Length)]}: {ex.Message}"));
                }
            }
        }
    }
}
