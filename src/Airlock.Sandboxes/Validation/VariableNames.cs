namespace Airlock.Sandboxes.Validation;

/// <summary>
/// The one rule for an environment variable's name, wherever a name enters a sandbox (a spec, config.yaml, --env, an
/// agent's AIRLOCK_ENV_ opt-in, a server exec): ASCII letters, digits and '_', not starting with a digit, as POSIX
/// shells accept it. Anything else (a '=', a NUL, a newline, a non-ASCII letter) cannot be set or read reliably.
/// </summary>
public static class VariableNames
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "letters, digits and _, not starting with a digit";

    public static bool IsValid(string? name) =>
        name is { Length: > 0 } && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
