using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Sandboxes.Network;

/// <summary>
/// Renders a <see cref="GuardPolicy"/> as one nftables ruleset (loaded atomically with <c>nft -f</c>) in the network
/// namespace the guard holds and the sandbox shares. The table is Airlock's own (<see cref="Table"/>); the sets
/// <c>dns4</c>/<c>dns6</c> are filled by the guard from its /etc/resolv.conf in the same transaction.
/// </summary>
public static class GuardRules
{
    public const string Table = "airlock";

    /// <summary>
    /// Run in the guard with the ruleset on stdin: adds the nameservers the engine gave the sandbox (only port 53 on them is
    /// let through, should one be a host address), then loads everything in one step, so no packet ever sees half a ruleset.
    /// </summary>
    public const string LoadScript =
        "set -e; { cat; for ns in $(awk '$1 == \"nameserver\" { print $2 }' /etc/resolv.conf); do ns=\"${ns%%%*}\"; " +
        "case \"$ns\" in *:*) echo \"add element inet " + Table + " dns6 { $ns }\";; *) echo \"add element inet " + Table + " dns4 { $ns }\";; esac; done; } | nft -f -";

    public static string Render(GuardPolicy policy)
    {
        var v4 = new List<string> { Net(GuardPolicy.LinkLocalV4) };
        var v6 = new List<string> { Net(GuardPolicy.LinkLocalV6) };
        foreach (var address in policy.HostAddresses.Where(a => !IPAddress.IsLoopback(a)))
        {
            (address.AddressFamily == AddressFamily.InterNetwork ? v4 : v6).Add(Address(address));
        }

        foreach (var subnet in policy.SandboxSubnets)
        {
            (subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? v4 : v6).Add(Net(subnet));
        }

        if (policy.HostLoopbackAlias is { } alias)
        {
            v4.Add(Address(alias));
        }

        var sb = new StringBuilder();
        // Replacing is idempotent: the add-then-delete pair works whether or not the table exists yet.
        sb.AppendLine(CultureInfo.InvariantCulture, $"table inet {Table} {{}}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"delete table inet {Table}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"table inet {Table} {{");
        sb.AppendLine("  set dns4 { type ipv4_addr; }");
        sb.AppendLine("  set dns6 { type ipv6_addr; }");
        sb.AppendLine("  set blocked4 { type ipv4_addr; flags interval; auto-merge; elements = { " + string.Join(", ", v4.Distinct()) + " }; }");
        sb.AppendLine("  set blocked6 { type ipv6_addr; flags interval; auto-merge; elements = { " + string.Join(", ", v6.Distinct()) + " }; }");
        if (policy.Gateway is { } gateway && policy.Relays.Count > 0)
        {
            sb.AppendLine("  chain relay {");
            sb.AppendLine("    type nat hook output priority -100; policy accept;");
            foreach (var (asked, relay) in policy.Relays.OrderBy(r => r.Key))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"    ip daddr {Address(gateway)} tcp dport {asked} dnat ip to {Address(gateway)}:{relay}");
            }

            sb.AppendLine("  }");
        }

        sb.AppendLine("  chain output {");
        sb.AppendLine("    type filter hook output priority 0; policy accept;");
        sb.AppendLine("    oifname \"lo\" accept");
        sb.AppendLine("    ct state established,related accept");
        sb.AppendLine("    meta l4proto { tcp, udp } th dport 53 ip daddr @dns4 accept");
        sb.AppendLine("    meta l4proto { tcp, udp } th dport 53 ip6 daddr @dns6 accept");
        if (policy.Gateway is { } relayAddress && policy.Relays.Count > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"    ip daddr {Address(relayAddress)} tcp dport {{ {string.Join(", ", policy.Relays.Values.Order())} }} accept");
        }

        if (policy.HostLoopbackAlias is { } loopback && policy.HostLoopbackPorts.Count > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"    ip daddr {Address(loopback)} tcp dport {{ {string.Join(", ", policy.HostLoopbackPorts.Distinct().Order())} }} accept");
        }

        // Rejected rather than dropped: a tool fails at once ("no route to host") instead of hanging until its timeout.
        sb.AppendLine("    ip daddr @blocked4 reject with icmpx admin-prohibited");
        sb.AppendLine("    ip6 daddr @blocked6 reject with icmpx admin-prohibited");
        sb.AppendLine("  }");

        // Inbound: nothing on the engine's networks but the gateway (published ports arrive from it) may open a connection.
        var subnets4 = policy.SandboxSubnets.Where(s => s.BaseAddress.AddressFamily == AddressFamily.InterNetwork).Select(Net).ToList();
        var subnets6 = policy.SandboxSubnets.Where(s => s.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6).Select(Net).ToList();
        sb.AppendLine("  chain input {");
        sb.AppendLine("    type filter hook input priority 0; policy accept;");
        sb.AppendLine("    iifname \"lo\" accept");
        sb.AppendLine("    ct state established,related accept");
        if (subnets4.Count > 0)
        {
            var exceptGateway = policy.Gateway is { AddressFamily: AddressFamily.InterNetwork } gw ? $"ip saddr != {Address(gw)} " : "";
            sb.AppendLine(CultureInfo.InvariantCulture, $"    {exceptGateway}ip saddr {{ {string.Join(", ", subnets4)} }} drop");
        }

        if (subnets6.Count > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"    ip6 saddr {{ {string.Join(", ", subnets6)} }} drop");
        }

        sb.AppendLine("  }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string Address(IPAddress address) => address.ToString();

    private static string Net(IPNetwork network) => network.ToString();
}
