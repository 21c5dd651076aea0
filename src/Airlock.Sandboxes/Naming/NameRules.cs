using System.Text.RegularExpressions;

namespace Airlock.Sandboxes.Naming;

/// <summary>What a namespace or template may be called.</summary>
public static partial class NameRules
{
    /// <summary>The verbs `airlock NS` dispatches on (and `help`): a namespace called so could never be entered.</summary>
    public static readonly IReadOnlySet<string> ReservedNamespaceNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "config", "create", "delete", "edit", "list", "rebuild", "reset", "doctor", "engine", "help", "completion",
        "run", "conduit", "serve", "sandbox", "migrate", "audit", "tenant", "key", "secret", "snapshot", "version", "egress", "mcp", "backup",
    };

    /// <summary>Returns why <paramref name="name"/> can't name a namespace, or null when it can.</summary>
    public static string? NamespaceProblem(string name) =>
        CharacterProblem(name, "namespace")
        ?? (ReservedNamespaceNames.Contains(name) ? $"'{name}' is reserved: it is an airlock command. Pick another name, e.g. '{name}-ns'" : null);

    public static string? TemplateProblem(string name) => CharacterProblem(name, "template");

    private static string? CharacterProblem(string name, string what) =>
        ValidName().IsMatch(name)
            ? null
            : $"'{name}' is not a valid {what} name: use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex ValidName();
}
