using System.CommandLine;
using Airlock.Cli.Engines;
using Airlock.Cli.Help;
using Airlock.Cli.Terminal;
using Airlock.Engine.Exec;

namespace Airlock.Cli.Commands;

/// <summary><c>airlock engine exec</c>: like <c>podman exec</c>: run a command in a running container, terminal attached.</summary>
public static class EngineExecCommand
{
    public static Command Create(CliContext context)
    {
        var tty = new Option<bool>("--tty", "-t") { Description = "Give the command a terminal (the local one, in raw mode, with -i)." };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep stdin open and send it to the command." };
        var env = new Option<string[]>("--env", "-e") { Description = "Set an environment variable: KEY=VALUE, or KEY to pass this shell's value.", HelpName = "KEY=VALUE" };
        var user = new Option<string?>("--user", "-u") { Description = "Run as this user: name, UID or UID:GID." };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container." };
        var container = new Argument<string>("CONTAINER") { Description = "Name or id of a running container." };
        var command = new ProgramArgument("COMMAND", ProgramWords.AfterLeadingArguments, required: true)
        {
            Description = "The command and its arguments. Everything after CONTAINER belongs to it.",
        };

        var exec = new Command(
            "exec",
            "Run a command in a running container, like `podman exec`.")
        {
            tty, interactive, env, user, workdir, container, command,
        };
        exec.WithHelp(
            "Exits with the command's exit code; with -it the local terminal is in raw mode and restored afterwards.",
            "airlock engine exec -it my-container bash",
            "airlock engine exec my-container cat /etc/os-release");

        exec.SetAction(async (parse, ct) =>
        {
            var options = new ExecOptions
            {
                Command = parse.GetRequiredValue(command),
                Environment = KeyValueArguments.Parse("--env", parse.GetValue(env), context.GetVariable),
                User = parse.GetValue(user),
                WorkingDirectory = parse.GetValue(workdir),
                Tty = parse.GetValue(tty),
                AttachStdin = parse.GetValue(interactive),
            };
            using var runtime = await EngineConnector.ConnectAsync(context, ct);
            return await new TerminalSession(runtime).RunExecAsync(parse.GetRequiredValue(container), options, ct);
        });
        return exec;
    }
}
