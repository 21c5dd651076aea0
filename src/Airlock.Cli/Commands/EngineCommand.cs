using System.CommandLine;
using Airlock.Cli.Help;

namespace Airlock.Cli.Commands;

/// <summary><c>airlock engine</c>: low-level access to the container engine Airlock uses.</summary>
public static class EngineCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("engine", "Low-level commands against the container engine Airlock finds (see `airlock doctor`).")
        {
            EngineRunCommand.Create(context),
            EngineExecCommand.Create(context),
        };
        command.WithHelp(
            null,
            "airlock engine run -it localhost/airlock-base:bookworm bash",
            "airlock engine exec -it CONTAINER bash");
        return command;
    }
}
