using System.Net;
using System.Net.Sockets;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// The addresses a sandbox may not reach unless an address rule names them: the host itself (loopback, its interfaces),
/// the networks behind it (private, CGNAT, unique-local), link-local (with the cloud metadata services), and what is not
/// one destination (unspecified, multicast, broadcast, reserved). The one place these ranges are written.
/// </summary>
public static class EgressAddressRules
{
    private static readonly (IPNetwork Network, string Reason)[] V4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), EgressReasons.Unspecified),
        (IPNetwork.Parse("127.0.0.0/8"), EgressReasons.Loopback),
        (IPNetwork.Parse("169.254.169.254/32"), EgressReasons.Metadata),
        // Azure's wire server and instance metadata alias: not link-local, but it hands a VM's secrets to anyone on it.
        (IPNetwork.Parse("168.63.129.16/32"), EgressReasons.Metadata),
        (IPNetwork.Parse("169.254.0.0/16"), EgressReasons.LinkLocal),
        (IPNetwork.Parse("10.0.0.0/8"), EgressReasons.Private),
        (IPNetwork.Parse("172.16.0.0/12"), EgressReasons.Private),
        (IPNetwork.Parse("192.168.0.0/16"), EgressReasons.Private),
        // CGNAT space; Alibaba's metadata service (100.100.100.200) lives here too.
        (IPNetwork.Parse("100.64.0.0/10"), EgressReasons.Cgnat),
        // IETF protocol assignments (DS-Lite, NAT64 discovery, Oracle's metadata at 192.0.0.192).
        (IPNetwork.Parse("192.0.0.0/24"), EgressReasons.Reserved),
        (IPNetwork.Parse("224.0.0.0/4"), EgressReasons.Multicast),
        (IPNetwork.Parse("255.255.255.255/32"), EgressReasons.Broadcast),
        (IPNetwork.Parse("240.0.0.0/4"), EgressReasons.Reserved),
    ];

    private static readonly (IPNetwork Network, string Reason)[] V6 =
    [
        (IPNetwork.Parse("::/128"), EgressReasons.Unspecified),
        (IPNetwork.Parse("::1/128"), EgressReasons.Loopback),
        (IPNetwork.Parse("fe80::/10"), EgressReasons.LinkLocal),
        // Deprecated site-local: still routed as private by old stacks.
        (IPNetwork.Parse("fec0::/10"), EgressReasons.Private),
        // Unique-local, AWS's IPv6 metadata (fd00:ec2::254) among them.
        (IPNetwork.Parse("fc00::/7"), EgressReasons.Private),
        (IPNetwork.Parse("ff00::/8"), EgressReasons.Multicast),
    ];

    // IPv6 forms that carry an IPv4 address in their last 32 bits, which a translator or dual stack delivers to that
    // IPv4 address: IPv4-compatible (::a.b.c.d) and NAT64 (well-known and local-use prefixes).
    private static readonly IPNetwork[] EmbeddingV4 =
    [
        IPNetwork.Parse("::/96"),
        IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("64:ff9b:1::/48"),
    ];

    /// <summary>
    /// Why <paramref name="address"/> may not be reached without an address rule naming it (an <see cref="EgressReasons"/>
    /// code), or null when it is an ordinary public address.
    /// </summary>
    public static string? Blocked(IPAddress address, IReadOnlyCollection<IPAddress> hostAddresses)
    {
        var a = EgressHost.Canonical(address);
        if (hostAddresses.Any(h => EgressHost.Canonical(h).Equals(a)))
        {
            return EgressReasons.HostAddress;
        }

        if (a.AddressFamily == AddressFamily.InterNetworkV6)
        {
            foreach (var (network, reason) in V6)
            {
                if (network.Contains(a))
                {
                    return reason;
                }
            }

            if (EmbeddingV4.Any(n => n.Contains(a)))
            {
                var bytes = a.GetAddressBytes();
                return Blocked(new IPAddress(bytes.AsSpan(12, 4)), hostAddresses);
            }

            return null;
        }

        foreach (var (network, reason) in V4)
        {
            if (network.Contains(a))
            {
                return reason;
            }
        }

        return null;
    }
}
