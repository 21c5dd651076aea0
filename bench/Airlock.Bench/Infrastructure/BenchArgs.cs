using System.Globalization;

namespace Airlock.Bench.Infrastructure;

/// <summary><c>--name value</c> / <c>--name=value</c> options and bare <c>--flag</c>s; anything else is an error the caller reports.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private BenchArgs()
    {
    }

    public static bool TryParse(
        IReadOnlyList<string> args, IReadOnlyCollection<string> known, IReadOnlyCollection<string> flags, out BenchArgs parsed, out string error)
    {
        parsed = new BenchArgs();
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return false;
            }

            if (flags.Contains(arg))
            {
                parsed._flags.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            if (!known.Contains(name))
            {
                error = $"unknown option '{name}' (known: {string.Join(", ", known.Concat(flags))})";
                return false;
            }

            if (eq > 0)
            {
                parsed._values[name] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                parsed._values[name] = args[++i];
            }
            else
            {
                error = $"option '{name}' needs a value";
                return false;
            }
        }

        return true;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public bool Has(string flag) => _flags.Contains(flag);

    public int GetInt(string name, int fallback, int min)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new ArgumentException($"{name} must be a whole number of at least {min}, not '{text}'");
        }

        return value;
    }
}
