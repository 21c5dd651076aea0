using System.CommandLine;
using System.CommandLine.Help;

namespace Airlock.Cli.Help;

/// <summary>
/// The library's help of a command, with the launch form's arguments kept where they belong. The root's NAMESPACE and
/// COMMAND are the launch form, the alternative to a verb, never a prefix of one; the library would print them in every
/// subcommand's usage (<c>airlock [&lt;NAMESPACE&gt; [&lt;COMMAND&gt;...]] sandbox exec ...</c>) and argument list.
/// </summary>
public static class CommandHelp
{
    public static void Write(HelpAction library, ParseResult parse)
    {
        var root = parse.RootCommandResult.Command;
        if (parse.CommandResult.Command != root)
        {
            WithHidden(root.Arguments.Where(a => !a.Hidden).ToList(), () => library.Invoke(parse));
            return;
        }

        // On the root, one usage line for each form instead of the library's blend of both ("[<NAMESPACE> ...] [command]").
        var configuration = parse.InvocationConfiguration;
        var output = configuration.Output;
        using var text = new StringWriter();
        configuration.Output = text;
        try
        {
            library.Invoke(parse);
        }
        finally
        {
            configuration.Output = output;
        }

        const string verbs = " [command]";
        var lines = text.ToString().Split('\n');
        var usage = Array.IndexOf(lines, "Usage:") + 1;
        if (usage > 0 && usage < lines.Length && lines[usage].Contains(verbs, StringComparison.Ordinal))
        {
            var name = lines[usage].TrimStart().Split(' ')[0];
            lines = [.. lines[..usage], lines[usage].Replace(verbs, "", StringComparison.Ordinal), $"  {name} <command> [options]", .. lines[(usage + 1)..]];
        }

        output.Write(string.Join('\n', lines));
    }

    /// <summary>Runs <paramref name="write"/> with <paramref name="arguments"/> hidden from help, then shows them again.</summary>
    private static void WithHidden(IReadOnlyList<Argument> arguments, Action write)
    {
        foreach (var argument in arguments)
        {
            argument.Hidden = true;
        }

        try
        {
            write();
        }
        finally
        {
            foreach (var argument in arguments)
            {
                argument.Hidden = false;
            }
        }
    }
}
