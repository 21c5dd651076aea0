using System.Text.RegularExpressions;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The host's <c>~/.gitconfig</c> as the sandbox gets it: identity, aliases, colours and behaviour stay; whatever can
/// hold a credential goes. Dropped: the sections of credential helpers and of tools that keep tokens there
/// (<see cref="CredentialSections"/>), includes (host paths, and what they hold is unseen), HTTP headers
/// (<c>http.extraHeader</c> carries bearer tokens), keys whose name says secret (<see cref="SecretKeyWords"/>), and
/// every entry whose value or <c>url</c> section name holds a URL with a password.
/// </summary>
public static partial class HostGitConfigFilter
{
    public static readonly IReadOnlyList<string> CredentialSections =
        ["credential", "include", "includeif", "sendemail", "github", "hub", "gitlab", "gitea", "bitbucket", "azure", "gh"];

    public static readonly IReadOnlyList<string> SecretKeyWords =
        ["token", "password", "passwd", "secret", "apikey", "api-key", "credential", "oauth", "smtppass", "extraheader", "cookie"];

    public static string Filter(string gitconfig) => Filter(GitConfigFile.Parse(gitconfig)).Render();

    public static GitConfigFile Filter(GitConfigFile config) => new(config.Entries.Where(Keeps).ToList());

    private static bool Keeps(GitConfigEntry entry) =>
        !CredentialSections.Contains(entry.Section)
        && !SecretKeyWords.Any(word => entry.Key.Contains(word, StringComparison.Ordinal))
        && !UrlWithPassword().IsMatch(entry.Subsection)
        && !(entry.Value is { } value && UrlWithPassword().IsMatch(value));

    /// <summary><c>scheme://user:password@</c>; a user name alone (<c>git@github.com:</c>, <c>ssh://git@host</c>) is fine.</summary>
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^/@\s:]*:[^/@\s]*@")]
    private static partial Regex UrlWithPassword();
}
