using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// One allowed destination: a host, the subdomains of a name, or an address range, on one port or any.
/// Written as text: <c>github.com</c>, <c>*.npmjs.org</c>, <c>github.com:22</c>, <c>*.example.com:443</c>, <c>192.0.2.7</c>,
/// <c>[2001:db8::1]:443</c>, <c>10.1.0.0/16</c>, <c>10.1.0.0/16:5432</c>, <c>fd00::/8</c>, <c>[fd00::/8]:5432</c>.
/// </summary>
/// <remarks>
/// <c>*.example.com</c> matches <c>a.example.com</c> and <c>a.b.example.com</c> but not <c>example.com</c>: the apex is often a
/// different service (and owner) than its subdomains, so allowing it takes its own rule. A name rule matches names only and an
/// address rule addresses only: a name never unlocks an address, which is what defeats DNS rebinding.
/// </remarks>
public sealed record EgressRule
{
    private EgressRule(EgressRuleKind kind, string? name, IPNetwork? network, int? port)
    {
        Kind = kind;
        Name = name;
        Network = network;
        Port = port;
    }

    public EgressRuleKind Kind { get; }

    /// <summary>The host (<see cref="EgressRuleKind.Host"/>) or the suffix without <c>*.</c> (<see cref="EgressRuleKind.Subdomains"/>), normalised.</summary>
    public string? Name { get; }

    /// <summary>The range of an address rule; a single address is a /32 or /128.</summary>
    public IPNetwork? Network { get; }

    /// <summary>The one port allowed, or null for any.</summary>
    public int? Port { get; }

    /// <summary>Whether a normalised host name (not an IP literal) on <paramref name="port"/> is allowed by this rule.</summary>
    public bool MatchesName(string host, int port) =>
        PortMatches(port) && Kind switch
        {
            EgressRuleKind.Host => string.Equals(host, Name, StringComparison.Ordinal),
            EgressRuleKind.Subdomains => host.Length > Name!.Length + 1 && host.EndsWith(Name, StringComparison.Ordinal) && host[^(Name.Length + 1)] == '.',
            _ => false,
        };

    /// <summary>Whether this is an address rule that contains exactly <paramref name="address"/> on <paramref name="port"/>.</summary>
    public bool ContainsAddress(IPAddress address, int port) =>
        Kind == EgressRuleKind.Network && PortMatches(port) && Network!.Value.Contains(EgressHost.Canonical(address));

    private bool PortMatches(int port) => Port is null || Port == port;

    public override string ToString()
    {
        var target = Kind switch
        {
            EgressRuleKind.Host => Name!,
            EgressRuleKind.Subdomains => "*." + Name,
            _ => Network!.Value.PrefixLength == (Network.Value.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                ? Network.Value.BaseAddress.ToString()
                : Network.Value.ToString(),
        };
        if (Port is not { } port)
        {
            return target;
        }

        return Kind == EgressRuleKind.Network && target.Contains(':', StringComparison.Ordinal) ? $"[{target}]:{port}" : $"{target}:{port}";
    }

    public static EgressRule Parse(string text) =>
        TryParse(text, out var rule, out var problem) ? rule : throw new FormatException($"\"{text}\": {problem}");

    /// <summary>Reads one rule; false with a sentence saying what is wrong and what to write instead.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out EgressRule? rule, [NotNullWhen(false)] out string? problem)
    {
        rule = null;
        var t = text.Trim();
        if (t.Length == 0)
        {
            problem = "is empty; write a host such as github.com";
            return false;
        }

        if (t.Contains("://", StringComparison.Ordinal))
        {
            problem = "write the host only, without a scheme (github.com, not https://github.com)";
            return false;
        }

        if (t.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problem = "contains spaces or control characters; write one host per rule";
            return false;
        }

        string target;
        string? portText = null;
        if (t[0] == '[')
        {
            var close = t.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < t.Length && t[close + 1] != ':'))
            {
                problem = "an IPv6 address in brackets is written [2001:db8::1] or [2001:db8::1]:443";
                return false;
            }

            target = t[1..close];
            portText = close + 1 < t.Length ? t[(close + 2)..] : null;
            if (!target.Contains(':', StringComparison.Ordinal))
            {
                problem = "brackets are only for IPv6 addresses";
                return false;
            }
        }
        else if (t.Count(c => c == ':') == 1)
        {
            var colon = t.IndexOf(':', StringComparison.Ordinal);
            target = t[..colon];
            portText = t[(colon + 1)..];
        }
        else
        {
            // No colon, or several: a bare IPv6 address or range, which takes no port without brackets.
            target = t;
        }

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                problem = $"'{portText}' is not a port (1-65535)";
                return false;
            }

            port = p;
        }

        if (target.Contains('/', StringComparison.Ordinal))
        {
            return TryParseNetwork(target, port, out rule, out problem);
        }

        if (EgressHost.TryParseAddress(target, out var address))
        {
            rule = new EgressRule(EgressRuleKind.Network, null, new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128), port);
            problem = null;
            return true;
        }

        if (target.Contains(':', StringComparison.Ordinal))
        {
            problem = "is not an IPv6 address; with a port it is written [2001:db8::1]:443";
            return false;
        }

        if (target == "*")
        {
            problem = "'*' would allow every destination; use mode open for that";
            return false;
        }

        var kind = EgressRuleKind.Host;
        if (target.StartsWith("*.", StringComparison.Ordinal))
        {
            kind = EgressRuleKind.Subdomains;
            target = target[2..];
            if (target.Length == 0)
            {
                problem = "a wildcard needs a suffix, e.g. *.example.com";
                return false;
            }

            if (EgressHost.TryParseAddress(target, out _))
            {
                problem = "a wildcard takes a domain suffix, not an address; write an address range such as 10.1.0.0/16";
                return false;
            }
        }

        if (target.Contains('*', StringComparison.Ordinal))
        {
            problem = "a wildcard may only be the whole first label, e.g. *.example.com";
            return false;
        }

        if (!EgressHost.TryNormalise(target, out var host, out var hostProblem))
        {
            problem = $"'{target}' {hostProblem}";
            return false;
        }

        rule = new EgressRule(kind, host, null, port);
        problem = null;
        return true;
    }

    private static bool TryParseNetwork(string target, int? port, [NotNullWhen(true)] out EgressRule? rule, [NotNullWhen(false)] out string? problem)
    {
        rule = null;
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var addressText = target[..slash];
        var prefixText = target[(slash + 1)..];
        if (!EgressHost.TryParseAddress(addressText, out var address))
        {
            problem = "a rule names a host, not a path; write github.com, or a range such as 10.1.0.0/16";
            return false;
        }

        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > max)
        {
            problem = $"'{prefixText}' is not a prefix length (0-{max})";
            return false;
        }

        if (prefix == 0)
        {
            problem = "a /0 range allows every address, private ones included; use mode open for public destinations";
            return false;
        }

        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            problem = $"has bits set past the /{prefix} prefix; did you mean {network}?";
            return false;
        }

        rule = new EgressRule(EgressRuleKind.Network, null, network, port);
        problem = null;
        return true;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
