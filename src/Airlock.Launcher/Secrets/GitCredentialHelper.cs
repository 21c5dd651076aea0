using System.Globalization;

namespace Airlock.Launcher.Secrets;

/// <summary>
/// Git over HTTPS with a token secret: for each host of a <c>basic</c> secret, a credential helper (set through git's
/// environment configuration, so no file is written) answers git with the secret's placeholder as the password; the
/// policy point puts the token in its place on the way out.
/// </summary>
public static class GitCredentialHelper
{
    /// <summary>The user name git is given: GitHub's for tokens; other hosts accept any name with a token.</summary>
    public const string UserName = "x-access-token";

    public static IReadOnlyDictionary<string, string> Variables(IEnumerable<PlannedSecret> secrets)
    {
        var entries = new List<(string Key, string Value)>();
        foreach (var secret in secrets.Where(s => s.Injection.Kind == Sandboxes.Secrets.SecretInjectionKind.Basic))
        {
            foreach (var host in secret.Hosts.Select(h => h.ToString()).Where(h => !h.Contains('/', StringComparison.Ordinal)))
            {
                // Run by git's shell when it needs a password for this host; the placeholder is read from the variable then.
                entries.Add(($"credential.https://{host}.helper", $"!f() {{ test \"$1\" = get && echo username={UserName} && echo \"password=${secret.Variable}\"; }}; f"));
            }
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entries.Count == 0)
        {
            return variables;
        }

        variables["GIT_CONFIG_COUNT"] = entries.Count.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < entries.Count; i++)
        {
            variables[$"GIT_CONFIG_KEY_{i}"] = entries[i].Key;
            variables[$"GIT_CONFIG_VALUE_{i}"] = entries[i].Value;
        }

        return variables;
    }
}
