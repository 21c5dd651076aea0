using System.CommandLine;
using Airlock.Cli.Commands;

namespace Airlock.Cli.Errors;

/// <summary>A command line airlock cannot read: every problem on stderr, where to look, and exit 2.</summary>
public static class CommandLineErrors
{
    /// <summary>Option-looking words no option reads, each with the nearest option, before anything runs.</summary>
    public static int Report(CliContext context, IReadOnlyList<UnknownOption> unknown)
    {
        foreach (var option in unknown)
        {
            var where = option.Command is RootCommand ? "airlock" : $"`{CommandPath.Of(option.Command)}`";
            var nearest = option.Likely ? $"did you mean {option.Closest}?" : $"the closest is {option.Closest}";
            ErrorReporter.Write(context, $"'{option.Word}' is not an option of {where}; {nearest}", null);
        }

        foreach (var command in unknown.Select(u => u.Command).Distinct())
        {
            var fix = command is RootCommand
                ? $"`airlock --help` lists airlock's options; words for the command go after it: airlock NAMESPACE COMMAND {unknown.First(u => u.Command == command).Word}"
                : $"see `{CommandPath.Of(command)} --help` for usage and examples";
            ErrorReporter.Write(context, "", fix, fixOnly: true);
        }

        return ExitCodes.UserError;
    }

    /// <summary>What the parser found wrong (a missing argument, a bad value, an extra word).</summary>
    public static int Report(CliContext context, ParseResult parse)
    {
        foreach (var error in parse.Errors)
        {
            ErrorReporter.Write(context, error.Message, null);
        }

        ErrorReporter.Write(context, "", $"see `{CommandPath.Of(parse.CommandResult.Command)} --help` for usage and examples", fixOnly: true);
        return ExitCodes.UserError;
    }
}
