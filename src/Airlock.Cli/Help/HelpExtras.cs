using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Airlock.Cli.Help;

/// <summary>
/// Every command's <c>--help</c>: the library's sections (see <see cref="CommandHelp"/>), then
/// "Details:" (longer text than the one-line description shown in command lists) and "Examples:".
/// </summary>
public static class HelpExtras
{
    private static readonly ConditionalWeakTable<Command, Extras> ByCommand = new();

    /// <summary>Records the extra help of <paramref name="command"/>. Examples are command lines, optionally with "  # what it does".</summary>
    public static T WithHelp<T>(this T command, string? details, params string[] examples)
        where T : Command
    {
        ByCommand.AddOrUpdate(command, new Extras(details, examples));
        return command;
    }

    public static IReadOnlyList<string> ExamplesOf(Command command) => ByCommand.TryGetValue(command, out var e) ? e.Examples : [];

    /// <summary>Makes every <c>--help</c> under <paramref name="root"/> print the extra sections after the usual help.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction inner)
            {
                help.Action = new Action(inner);
            }
        }
    }

    /// <summary>Shows the help of the command <paramref name="parse"/> ended at, with its extra sections.</summary>
    public static int Show(ParseResult parse) => new Action(new HelpAction()).Invoke(parse);

    private sealed record Extras(string? Details, string[] Examples);

    private sealed class Action(HelpAction inner) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            CommandHelp.Write(inner, parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (!ByCommand.TryGetValue(parseResult.CommandResult.Command, out var extras))
            {
                return ExitCodes.Ok;
            }

            if (extras.Details is { Length: > 0 } details)
            {
                output.WriteLine("Details:");
                foreach (var line in details.Split('\n'))
                {
                    output.WriteLine(line.Length == 0 ? "" : "  " + line.TrimEnd('\r'));
                }

                output.WriteLine();
            }

            if (extras.Examples.Length > 0)
            {
                output.WriteLine("Examples:");
                foreach (var example in extras.Examples)
                {
                    output.WriteLine("  " + example);
                }

                output.WriteLine();
            }

            return ExitCodes.Ok;
        }
    }
}
