using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Airlock.Cli.Help;

/// <summary>Adds an "Examples:" section to a command's <c>--help</c>.</summary>
public static class Examples
{
    private static readonly ConditionalWeakTable<Command, string[]> ByCommand = new();

    /// <summary>Records examples for <paramref name="command"/>; each is a command line, optionally followed by "  # what it does".</summary>
    public static T WithExamples<T>(this T command, params string[] examples)
        where T : Command
    {
        ByCommand.AddOrUpdate(command, examples);
        return command;
    }

    public static IReadOnlyList<string> For(Command command) => ByCommand.TryGetValue(command, out var list) ? list : [];

    /// <summary>Replaces the help option's action on <paramref name="root"/> with one that prints examples after the usual help.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction inner)
            {
                help.Action = new ExamplesHelpAction(inner);
            }
        }
    }

    private sealed class ExamplesHelpAction(HelpAction inner) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = inner.Invoke(parseResult);
            var examples = For(parseResult.CommandResult.Command);
            if (examples.Count > 0)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    output.WriteLine($"  {example}");
                }

                output.WriteLine();
            }

            return code;
        }
    }
}
