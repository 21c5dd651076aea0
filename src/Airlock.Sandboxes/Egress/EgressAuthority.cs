using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Airlock.Sandboxes.Egress;

/// <summary>Reads the <c>host[:port]</c> a sandbox names (CONNECT target, URI authority, Host header) into a normalised destination.</summary>
internal static class EgressAuthority
{
    public static bool TryParse(string text, int? defaultPort, out EgressDestination destination, [NotNullWhen(false)] out string? problem)
    {
        destination = default;
        string hostText;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                problem = "is not host:port";
                return false;
            }

            hostText = text[1..close];
            portText = close + 1 < text.Length ? text[(close + 2)..] : null;
            if (!EgressHost.TryParseAddress(hostText, out _) || !hostText.Contains(':', StringComparison.Ordinal))
            {
                problem = "is not an IPv6 address in brackets";
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                problem = "has an IPv6 address without brackets";
                return false;
            }

            hostText = colon >= 0 ? text[..colon] : text;
            portText = colon >= 0 ? text[(colon + 1)..] : null;
        }

        int port;
        if (portText is null)
        {
            if (defaultPort is not { } d)
            {
                problem = "has no port";
                return false;
            }

            port = d;
        }
        else if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            problem = "has no valid port (1-65535)";
            return false;
        }

        if (!TryNormaliseHost(hostText, out var host, out problem))
        {
            return false;
        }

        destination = new EgressDestination(host, port);
        return true;
    }

    /// <summary>A name in normal form, or an address in its canonical text: what rules, records and the SNI check compare.</summary>
    public static bool TryNormaliseHost(string text, [NotNullWhen(true)] out string? host, [NotNullWhen(false)] out string? problem)
    {
        if (EgressHost.TryParseAddress(text, out var address))
        {
            host = address.ToString();
            problem = null;
            return true;
        }

        if (!EgressHost.TryNormalise(text, out host, out var why))
        {
            problem = $"host {why}";
            return false;
        }

        problem = null;
        return true;
    }
}
