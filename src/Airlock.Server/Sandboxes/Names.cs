using System.Text.RegularExpressions;

namespace Airlock.Server.Sandboxes;

/// <summary>Names of tenants and sandboxes: DNS-label shaped, so they are safe in URLs, labels and container names.</summary>
public static partial class Names
{
    public const string Rule = "lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit";

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>Echoes at most 64 characters of a bad input, so a huge value does not make a huge error.</summary>
    public static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Pattern();
}
