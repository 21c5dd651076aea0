using Airlock.Cli.Errors;

namespace Airlock.Cli.Commands;

/// <summary>Reads repeated <c>KEY=VALUE</c> options (-e, --label), reporting every malformed one at once.</summary>
public static class KeyValueArguments
{
    /// <summary>
    /// Parses <paramref name="values"/>. A bare <c>KEY</c> takes its value from <paramref name="fromHost"/> when given
    /// (as <c>-e KEY</c> does); otherwise, or when the host has no such variable, it is an error.
    /// </summary>
    public static Dictionary<string, string> Parse(string option, IEnumerable<string>? values, Func<string, string?>? fromHost = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var value in values ?? [])
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? value : value[..eq];
            if (key.Length == 0)
            {
                errors.Add($"{option} '{value}': the name before '=' is empty");
                continue;
            }

            if (eq >= 0)
            {
                result[key] = value[(eq + 1)..];
            }
            else if (fromHost?.Invoke(key) is { } hostValue)
            {
                result[key] = hostValue;
            }
            else
            {
                errors.Add(fromHost is null
                    ? $"{option} '{value}': expected KEY=VALUE"
                    : $"{option} '{value}': {key} is not set here, so there is no value to pass");
            }
        }

        if (errors.Count > 0)
        {
            throw new UserInputException(string.Join("; ", errors), $"write {option} KEY=VALUE" + (fromHost is null ? "" : $", or set KEY before using {option} KEY"));
        }

        return result;
    }

    /// <summary>Runs two parses and reports the errors of both together.</summary>
    public static (Dictionary<string, string> First, Dictionary<string, string> Second) ParseBoth(
        Func<Dictionary<string, string>> first, Func<Dictionary<string, string>> second)
    {
        var errors = new List<UserInputException>();
        var a = Collect(first, errors);
        var b = Collect(second, errors);
        if (errors.Count > 0)
        {
            throw new UserInputException(
                string.Join("; ", errors.Select(e => e.Message)),
                string.Join("; ", errors.Select(e => e.HowToFix).Distinct(StringComparer.Ordinal)));
        }

        return (a!, b!);
    }

    private static Dictionary<string, string>? Collect(Func<Dictionary<string, string>> parse, List<UserInputException> errors)
    {
        try
        {
            return parse();
        }
        catch (UserInputException ex)
        {
            errors.Add(ex);
            return null;
        }
    }
}
