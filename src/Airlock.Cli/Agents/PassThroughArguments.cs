using System.CommandLine;

namespace Airlock.Cli.Agents;

/// <summary>
/// Inserts the <c>--</c> the parser needs after a <see cref="PassThroughCommand"/>'s leading arguments, so that every word
/// after them (<c>--help</c>, <c>-v</c>, even another <c>--</c>) reaches the program untouched. Airlock's own options go
/// before them: <c>airlock run -e A=1 codex -e</c> gives <c>-e A=1</c> to airlock and <c>-e</c> to codex.
/// </summary>
public static class PassThroughArguments
{
    public static string[] Normalize(string[] args, RootCommand root)
    {
        Command current = root;
        var positional = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                return args; // the user marked the end of options already
            }

            if (token.StartsWith('-'))
            {
                var name = token.Split('=', 2)[0];
                if (!token.Contains('=', StringComparison.Ordinal) && TakesValue(current, name))
                {
                    i++;
                }

                continue;
            }

            if (positional == 0 && current.Subcommands.FirstOrDefault(c => c.Name == token || c.Aliases.Contains(token)) is { } sub)
            {
                current = sub;
                continue;
            }

            if (current is not PassThroughCommand passThrough)
            {
                return args;
            }

            if (++positional == passThrough.LeadingArguments)
            {
                return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
            }
        }

        return args;
    }

    private static bool TakesValue(Command command, string name)
    {
        var options = command.Options.Concat(Ancestors(command).SelectMany(c => c.Options.Where(o => o.Recursive)));
        return options.Any(o => (o.Name == name || o.Aliases.Contains(name)) && o.Arity.MaximumNumberOfValues > 0 && o.ValueType != typeof(bool));
    }

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return parent;
        }
    }
}
