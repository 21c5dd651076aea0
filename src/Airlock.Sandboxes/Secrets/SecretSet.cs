using System.Text;
using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Secrets;

/// <summary>The secrets of one sandbox, and the one place a request head gets its real values.</summary>
public sealed class SecretSet(IReadOnlyList<SecretBinding> bindings)
{
    public static SecretSet Empty { get; } = new([]);

    public IReadOnlyList<SecretBinding> Bindings { get; } = bindings;

    public bool IsEmpty => Bindings.Count == 0;

    /// <summary>Whether any secret may go to this destination: its TLS is then terminated so requests can be filled in.</summary>
    public bool BindsAny(string host, int port) => Bindings.Any(b => b.Binds(host, port));

    /// <summary>
    /// Puts each secret bound to <paramref name="destination"/> in its spot of <paramref name="headers"/> (only where the
    /// whole spot is its placeholder), then looks for any placeholder left in the target or the headers (Basic credentials
    /// decoded): one bound elsewhere makes the whole request <see cref="SecretRewrite.Misdirected"/>.
    /// </summary>
    public SecretRewrite Rewrite(string target, IReadOnlyList<KeyValuePair<string, string>> headers, EgressDestination destination)
    {
        var bound = Bindings.Where(b => b.Binds(destination.Host, destination.Port)).ToList();
        var added = new List<string>();
        var result = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var (name, value) in headers)
        {
            var filled = value;
            foreach (var binding in bound)
            {
                if (Fill(binding, name, filled) is { } replaced)
                {
                    filled = replaced;
                    added.Add(binding.Name);
                }
            }

            result.Add(new(name, filled));
        }

        var seen = new StringBuilder(target);
        foreach (var (_, value) in result)
        {
            seen.Append('\n').Append(value);
            if (DecodeBasic(value) is { } credentials)
            {
                seen.Append('\n').Append(credentials);
            }
        }

        var text = seen.ToString();
        var misdirected = text.Contains(SecretPlaceholder.Marker, StringComparison.Ordinal)
            ? Bindings.FirstOrDefault(b => !bound.Contains(b) && text.Contains(b.Placeholder, StringComparison.Ordinal))
            : null;
        return new SecretRewrite(result, added, misdirected);
    }

    private static string? Fill(SecretBinding binding, string name, string value)
    {
        if (!name.Equals(binding.Injection.HeaderName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        switch (binding.Injection.Kind)
        {
            case SecretInjectionKind.Header:
                return value == binding.Placeholder ? binding.Value.Reveal() : null;
            case SecretInjectionKind.Bearer:
                return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value[7..] == binding.Placeholder
                    ? value[..7] + binding.Value.Reveal()
                    : null;
            default:
                if (DecodeBasic(value) is not { } credentials)
                {
                    return null;
                }

                var colon = credentials.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 && credentials[(colon + 1)..] == binding.Placeholder
                    ? value[..6] + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials[..(colon + 1)] + binding.Value.Reveal()))
                    : null;
        }
    }

    private static string? DecodeBasic(string value)
    {
        if (!value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var encoded = value[6..].Trim();
        var bytes = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, bytes, out var n) ? Encoding.UTF8.GetString(bytes, 0, n) : null;
    }
}
