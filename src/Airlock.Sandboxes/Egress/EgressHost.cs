using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// The one normal form of a host name, shared by rules and requests so that both compare the same way: lower case,
/// no trailing dot, IDN labels in punycode, LDH labels of 1-63 characters, at most 253 characters.
/// </summary>
public static class EgressHost
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>Normalises a DNS name; false (with the reason) when it is not one. IP literals are not names: see <see cref="TryParseAddress"/>.</summary>
    public static bool TryNormalise(string text, [NotNullWhen(true)] out string? host, [NotNullWhen(false)] out string? problem)
    {
        host = null;
        var name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length == 0)
        {
            problem = "is not a host name";
            return false;
        }

        try
        {
            // Std3 rules reject '_' although real names (_dmarc, some CDN hosts) carry it; the check below allows it.
            name = name.All(char.IsAscii) ? name.ToLowerInvariant() : Idn.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            problem = "is not a valid international domain name";
            return false;
        }

        if (name.Length > 253)
        {
            problem = "is longer than 253 characters";
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                problem = "has an empty label or one longer than 63 characters";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                problem = "has characters a host name cannot have (letters, digits, '-' and '_' only, no '-' at a label's ends)";
                return false;
            }
        }

        host = name;
        problem = null;
        return true;
    }

    /// <summary>
    /// Reads an IP literal (<c>10.0.0.1</c>, <c>::1</c>, <c>[::1]</c>); an IPv4-mapped IPv6 address is returned as IPv4, and a
    /// scope id is dropped, so that every rule and check sees one form of each address.
    /// </summary>
    public static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        var bare = text.Length > 1 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;
        // IPAddress.TryParse also takes "1", "0x7f.1" and other forms the OS resolver accepts; a host given that way is
        // still an address (and checked as one), never a name to look up.
        if (bare.Length == 0 || bare.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(bare, out var parsed))
        {
            address = null;
            return false;
        }

        address = Canonical(parsed);
        return true;
    }

    /// <summary>One form of an address: IPv4 for IPv4-mapped IPv6, no scope id.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
        : address;
}
