using System.CommandLine;

namespace Airlock.Cli.Launcher;

/// <summary>
/// Lets <c>airlock work ls -la</c> mean "run <c>ls -la</c> in work": on the launch form, everything from the first word after
/// the namespace is the command, even when it looks like an option. This inserts the <c>--</c> the parser needs there
/// (and the default namespace before a bare <c>-- CMD</c>).
/// </summary>
public static class LaunchArguments
{
    public const string DefaultNamespace = "default";

    public static string[] Normalize(string[] args, RootCommand root)
    {
        var subcommands = root.Subcommands.SelectMany(c => c.Aliases.Append(c.Name)).ToHashSet(StringComparer.Ordinal);
        var withValue = root.Options
            .Where(o => o.Arity.MaximumNumberOfValues > 0 && o.ValueType != typeof(bool))
            .SelectMany(o => o.Aliases.Append(o.Name))
            .ToHashSet(StringComparer.Ordinal);
        var optionalValue = root.Options.Where(o => o.Arity.MinimumNumberOfValues == 0 && o.Arity.MaximumNumberOfValues > 0 && o.ValueType != typeof(bool))
            .SelectMany(o => o.Aliases.Append(o.Name))
            .ToHashSet(StringComparer.Ordinal);

        var sawNamespace = false;
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                // `airlock -- CMD`: no namespace given, so the command runs in the default one.
                return sawNamespace ? args : [.. args[..i], DefaultNamespace, .. args[i..]];
            }

            if (token.StartsWith('-'))
            {
                var name = token.Split('=', 2)[0];
                // An option with an optional value (--create [TEMPLATE]) takes the next word unless that is another option.
                if (withValue.Contains(name) && !token.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length
                    && !(optionalValue.Contains(name) && args[i + 1].StartsWith('-')))
                {
                    i++;
                }

                continue;
            }

            if (!sawNamespace)
            {
                if (subcommands.Contains(token))
                {
                    return args; // a verb, not the launch form
                }

                sawNamespace = true;
                continue;
            }

            return [.. args[..i], "--", .. args[i..]];
        }

        return args;
    }
}
