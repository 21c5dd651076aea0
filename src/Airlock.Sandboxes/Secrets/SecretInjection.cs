using System.Diagnostics.CodeAnalysis;

namespace Airlock.Sandboxes.Secrets;

/// <summary>
/// Where a secret goes: <c>bearer</c>, <c>basic</c> or <c>header:NAME</c>. Only that spot of a request to the secret's
/// hosts is filled in: a placeholder anywhere else (a URL, a body, another header a server might echo back) stays a
/// placeholder, so the sandbox cannot get a server to reflect the real value.
/// </summary>
public sealed record SecretInjection(SecretInjectionKind Kind, string HeaderName)
{
    public const string Forms = "bearer, basic, or header:NAME (such as header:x-api-key)";

    public static SecretInjection Bearer { get; } = new(SecretInjectionKind.Bearer, "Authorization");

    public static SecretInjection Basic { get; } = new(SecretInjectionKind.Basic, "Authorization");

    public static SecretInjection Header(string name) => new(SecretInjectionKind.Header, name);

    public static bool TryParse(string text, [NotNullWhen(true)] out SecretInjection? injection, [NotNullWhen(false)] out string? problem)
    {
        injection = null;
        problem = null;
        var trimmed = text.Trim();
        if (trimmed.Equals("bearer", StringComparison.OrdinalIgnoreCase))
        {
            injection = Bearer;
            return true;
        }

        if (trimmed.Equals("basic", StringComparison.OrdinalIgnoreCase))
        {
            injection = Basic;
            return true;
        }

        if (trimmed.StartsWith("header:", StringComparison.OrdinalIgnoreCase))
        {
            var name = trimmed["header:".Length..].Trim();
            if (name.Length > 0 && name.All(IsTokenChar) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                injection = Header(name);
                return true;
            }

            problem = $"'{name}' is not a header name a secret can go in (letters, digits and -, not Host)";
            return false;
        }

        problem = $"'{text}' is not a place for a secret; use {Forms}";
        return false;
    }

    public override string ToString() => Kind switch
    {
        SecretInjectionKind.Bearer => "bearer",
        SecretInjectionKind.Basic => "basic",
        _ => "header:" + HeaderName,
    };

    private static bool IsTokenChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_';
}
