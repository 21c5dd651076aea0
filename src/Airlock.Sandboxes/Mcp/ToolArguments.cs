using System.Text.Json;

namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// One tool call's arguments, read by name and type. Every problem (missing, wrong type, out of range, unknown name) is
/// collected with the argument's name, and <see cref="ThrowIfAny"/> reports them all at once, as config validation does.
/// </summary>
public sealed class ToolArguments(string tool, IReadOnlyDictionary<string, JsonElement>? arguments, IReadOnlyCollection<string> known)
{
    private readonly List<string> _problems = [];
    private readonly IReadOnlyDictionary<string, JsonElement> _arguments = arguments ?? new Dictionary<string, JsonElement>();

    public void Problem(string message) => _problems.Add(message);

    public string? String(string name, bool required)
    {
        if (!Present(name, required, "a string", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _problems.Add($"{name}: {Kind(value)} where a string belongs");
            return null;
        }

        return value.GetString();
    }

    public IReadOnlyList<string>? StringArray(string name, bool required, string example)
    {
        if (!Present(name, required, $"an array of strings, e.g. {example}", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            _problems.Add($"{name}: {Kind(value)} where an array of strings belongs, e.g. {example}");
            return null;
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                _problems.Add($"{name}[{index}]: {Kind(item)} where a string belongs");
            }
            else if (item.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                _problems.Add($"{name}[{index}]: contains a NUL character, which no command argument can hold");
            }
            else
            {
                items.Add(item.GetString()!);
            }

            index++;
        }

        if (index == 0)
        {
            _problems.Add($"{name}: empty; give at least the program, e.g. {example}");
        }

        return items;
    }

    public int? Integer(string name, int min, int max)
    {
        if (!Present(name, required: false, "", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            _problems.Add($"{name}: {Kind(value)} where a whole number from {min} to {max} belongs");
            return null;
        }

        if (number < min || number > max)
        {
            _problems.Add($"{name}: {number} is out of range; give a whole number from {min} to {max}");
            return null;
        }

        return (int)number;
    }

    public bool? Boolean(string name)
    {
        if (!Present(name, required: false, "", out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            _problems.Add($"{name}: {Kind(value)} where true or false belongs");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>A string that must be one of <paramref name="allowed"/>.</summary>
    public string? Choice(string name, IReadOnlyList<string> allowed)
    {
        var value = String(name, required: false);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            _problems.Add($"{name}: '{value}' is not one of {string.Join(", ", allowed)}");
            return null;
        }

        return value;
    }

    /// <summary>An absolute path inside the sandbox (<see cref="SandboxPath"/>).</summary>
    public string? Path(string name, bool required)
    {
        var value = String(name, required);
        if ((value is not null || required) && SandboxPath.Problem(name, value) is { } problem && !_problems.Any(p => p.StartsWith(name + ":", StringComparison.Ordinal)))
        {
            _problems.Add(problem);
            return null;
        }

        return value;
    }

    /// <summary>Throws every problem found, and an argument the tool does not take, as one <see cref="SandboxToolException"/>.</summary>
    public void ThrowIfAny()
    {
        foreach (var name in _arguments.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
        {
            _problems.Add($"{name}: {tool} takes no such argument; it takes {string.Join(", ", known)}");
        }

        switch (_problems.Count)
        {
            case 1:
                throw new SandboxToolException($"{tool}: {_problems[0]}");
            case > 1:
                throw new SandboxToolException($"{tool} has {_problems.Count} problems:\n  " + string.Join("\n  ", _problems));
        }
    }

    private bool Present(string name, bool required, string what, out JsonElement value)
    {
        if (_arguments.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            _problems.Add($"{name}: required; give {what}");
        }

        return false;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
