using Airlock.Sandboxes.Validation;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// The checks a create and an exec share on what reaches the engine as a process: its argv and its environment, each
/// bounded in count and size (<see cref="ServerLimits"/>), without NUL. Errors name the field; a list over its count is
/// one error, not one per item.
/// </summary>
public static class RequestBounds
{
    /// <summary>Checks an argv; <paramref name="required"/> when it may not be left out.</summary>
    public static void CheckCommand(ValidationErrors errors, string path, IReadOnlyList<string>? command, bool required, string example)
    {
        if (command is null)
        {
            if (required)
            {
                errors.Add(path, $"is missing; give the command and its arguments, e.g. {example}");
            }

            return;
        }

        if (command.Count is 0 or > ServerLimits.MaxCommandArgs)
        {
            errors.Add(path, $"has {command.Count} arguments; give 1 to {ServerLimits.MaxCommandArgs}, e.g. {example}");
            return;
        }

        for (var i = 0; i < command.Count; i++)
        {
            if (command[i] is not { Length: <= ServerLimits.MaxCommandArgChars } argument || argument.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add($"{path}[{i}]", $"must be a string of at most {ServerLimits.MaxCommandArgChars} characters without NUL");
            }
        }
    }

    /// <summary>Checks an environment's size; with <paramref name="checkNames"/>, each name's form as well.</summary>
    public static void CheckEnvironment(ValidationErrors errors, string path, IReadOnlyDictionary<string, string>? env, bool checkNames)
    {
        if (env is null)
        {
            return;
        }

        if (env.Count > ServerLimits.MaxEnvEntries)
        {
            errors.Add(path, $"has {env.Count} variables; at most {ServerLimits.MaxEnvEntries}");
            return;
        }

        foreach (var (name, value) in env)
        {
            if (name.Length > ServerLimits.MaxEnvNameChars)
            {
                errors.Add(path, $"has a variable name of {name.Length} characters ('{Names.Shorten(name)}'); at most {ServerLimits.MaxEnvNameChars}");
                continue;
            }

            if (checkNames && !VariableNames.IsValid(name))
            {
                errors.Add($"{path}.{name}", $"is not a valid variable name ({VariableNames.Rule})");
            }

            if (value is null || value.Length > ServerLimits.MaxEnvValueChars || value.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add($"{path}.{name}", $"must be a string of at most {ServerLimits.MaxEnvValueChars} characters without NUL");
            }
        }
    }
}
