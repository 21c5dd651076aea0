using System.CommandLine;

namespace Airlock.Cli.Commands;

/// <summary>
/// The options airlock accepts at one point of a command line (the command's own and its ancestors' recursive ones),
/// read the way System.CommandLine reads them: <c>--name</c>, <c>--name=VALUE</c>, <c>--name:VALUE</c>, <c>-x</c>,
/// bundled flags <c>-it</c>, and a short option with its value attached <c>-eNAME=1</c>.
/// </summary>
public sealed class OptionScope
{
    private readonly Dictionary<string, Option> _byAlias = new(StringComparer.Ordinal);

    public OptionScope(Command command)
    {
        foreach (var option in command.Options)
        {
            Add(option);
        }

        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in parent.Options.Where(o => o.Recursive))
            {
                Add(option);
            }
        }
    }

    /// <summary>A word airlock reads as an option, or as a mistyped one: it starts with '-' and is neither "-" (stdin) nor "--".</summary>
    public static bool LooksLikeOption(string word) => word.Length > 1 && word[0] == '-' && word != "--";

    /// <summary>
    /// How many of the following words <paramref name="word"/> takes as its value (0 or 1), or null when no option here
    /// reads it. <paramref name="next"/> is the word after it, if any.
    /// </summary>
    public int? WordsTaken(string word, string? next)
    {
        if (_byAlias.TryGetValue(word, out var exact))
        {
            if (!TakesValue(exact) || next is null)
            {
                return 0;
            }

            // An optional value (--create [TEMPLATE]) is the next word only when that is not itself an option.
            return exact.Arity.MinimumNumberOfValues == 0 && LooksLikeOption(next) ? 0 : 1;
        }

        var separator = word.AsSpan().IndexOfAny(':', '=');
        if (separator > 0 && _byAlias.ContainsKey(word[..separator]))
        {
            return 0;
        }

        return word.Length > 2 && word[1] != '-' && separator != 2 ? Unbundle(word, next) : null;
    }

    /// <summary>The alias here nearest to <paramref name="word"/>, and whether it is near enough to be a likely typo.</summary>
    public (string Alias, bool Likely) Closest(string word)
    {
        var name = word.Split(':', '=')[0];
        var best = _byAlias.Keys
            .Select((alias, order) => (Alias: alias, Order: order, Distance: alias.StartsWith(name, StringComparison.Ordinal) && name.Length > 3 ? 0 : EditDistance(name, alias)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Alias.StartsWith("--", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(c => c.Order)
            .First();
        // Every letter is one edit from every other, so a single-letter option is never a likely typo of another.
        var likely = name.Length > 2 && best.Distance <= Math.Max(1, (name.Length - 2) / 4);
        return (best.Alias, likely);
    }

    private void Add(Option option)
    {
        _byAlias.TryAdd(option.Name, option);
        foreach (var alias in option.Aliases)
        {
            _byAlias.TryAdd(alias, option);
        }
    }

    private static bool TakesValue(Option option) =>
        option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool) && option.ValueType != typeof(bool?);

    /// <summary>POSIX bundling, as the parser does it: <c>-it</c> is <c>-i -t</c>; a letter whose option takes a value takes the rest.</summary>
    private int? Unbundle(string word, string? next)
    {
        for (var i = 1; i < word.Length; i++)
        {
            if (!_byAlias.TryGetValue("-" + word[i], out var option))
            {
                return null;
            }

            if (TakesValue(option))
            {
                return i == word.Length - 1 && next is not null ? 1 : 0;
            }
        }

        return 0;
    }

    /// <summary>Optimal string alignment distance: edits, with a swap of two neighbours counting as one.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
