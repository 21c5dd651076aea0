using System.CommandLine;
using Airlock.Cli.Launcher;

namespace Airlock.Cli.Commands;

/// <summary>
/// Reads a command line once before the parser does, and splits airlock's words from the program's: it follows the
/// verbs down the command tree, checks every option-looking word before the program's words against the options
/// that command accepts, and puts a <c>--</c> where a <see cref="ProgramArgument"/> starts (see <see cref="ProgramWords"/>),
/// so that <c>airlock work ls -la</c> runs <c>ls -la</c> and <c>airlock work --no-such-flag</c> is an error instead of a
/// command. On the launch form (a root with no verb) a bare <c>-- CMD</c> runs in the default namespace.
/// </summary>
public static class CommandLineSplitter
{
    public static SplitCommandLine Split(string[] args, RootCommand root)
    {
        Command current = root;
        var scope = new OptionScope(root);
        var unknown = new List<UnknownOption>();
        var positional = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var word = args[i];
            if (word == "--")
            {
                // `airlock -- CMD`: no namespace given, so the command runs in the default one.
                return new SplitCommandLine(current == root && positional == 0 ? [.. args[..i], LaunchCommand.DefaultNamespace, .. args[i..]] : args, unknown);
            }

            if (OptionScope.LooksLikeOption(word))
            {
                if (scope.WordsTaken(word, i + 1 < args.Length ? args[i + 1] : null) is { } taken)
                {
                    i += taken;
                }
                else
                {
                    unknown.Add(new UnknownOption(word, current, scope.Closest(word)));
                }

                continue;
            }

            if (positional == 0 && current.Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word)) is { } verb)
            {
                current = verb;
                scope = new OptionScope(verb);
                continue;
            }

            if (ArgumentAt(current, positional) is ProgramArgument { Words: ProgramWords.FromFirstWord })
            {
                return new SplitCommandLine([.. args[..i], "--", .. args[i..]], unknown);
            }

            positional++;
            var rest = args[(i + 1)..];
            switch (ArgumentAt(current, positional))
            {
                case ProgramArgument { Words: ProgramWords.Verbatim }:
                case ProgramArgument { Words: ProgramWords.AfterLeadingArguments } when rest is not ["--", ..]:
                    return new SplitCommandLine([.. args[..(i + 1)], "--", .. rest], unknown);
                case ProgramArgument { Words: ProgramWords.AfterLeadingArguments }:
                    return new SplitCommandLine(args, unknown); // the user's own "--" separates them already
            }
        }

        return new SplitCommandLine(args, unknown);
    }

    /// <summary>The argument the <paramref name="index"/>-th positional word of <paramref name="command"/> fills, if any.</summary>
    private static Argument? ArgumentAt(Command command, int index)
    {
        foreach (var argument in command.Arguments)
        {
            if (index < argument.Arity.MaximumNumberOfValues)
            {
                return argument;
            }

            index -= argument.Arity.MaximumNumberOfValues;
        }

        return null;
    }
}
