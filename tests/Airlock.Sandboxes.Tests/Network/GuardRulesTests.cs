using System.Net;
using Airlock.Sandboxes.Network;

namespace Airlock.Sandboxes.Tests.Network;

public sealed class GuardRulesTests
{
    [Fact]
    public void Link_local_host_addresses_and_sandbox_subnets_are_rejected_with_the_relay_let_through()
    {
        var rules = GuardRules.Render(new GuardPolicy
        {
            HostAddresses = [IPAddress.Parse("192.0.2.2"), IPAddress.Loopback, IPAddress.Parse("fd00::2")],
            SandboxSubnets = [IPNetwork.Parse("10.88.0.0/16")],
            Gateway = IPAddress.Parse("10.88.0.1"),
            Relays = new Dictionary<int, int> { [11434] = 40001 },
        });

        rules.ShouldContain("elements = { 169.254.0.0/16, 192.0.2.2, 10.88.0.0/16 }");
        rules.ShouldContain("elements = { fe80::/10, fd00::2 }");
        rules.ShouldNotContain("127.0.0.1", Case.Sensitive, "inside, loopback is the sandbox's own");
        rules.ShouldContain("ip daddr 10.88.0.1 tcp dport 11434 dnat ip to 10.88.0.1:40001");
        rules.IndexOf("tcp dport { 40001 } accept", StringComparison.Ordinal).ShouldBeLessThan(rules.IndexOf("@blocked4 reject", StringComparison.Ordinal));
        rules.ShouldContain("ip saddr != 10.88.0.1 ip saddr { 10.88.0.0/16 } drop");
    }

    [Fact]
    public void Rootless_host_loopback_is_open_only_on_the_asked_ports()
    {
        var rules = GuardRules.Render(new GuardPolicy { HostLoopbackAlias = IPAddress.Parse("10.0.2.2"), HostLoopbackPorts = [11434, 8080] });

        rules.ShouldContain("ip daddr 10.0.2.2 tcp dport { 8080, 11434 } accept");
        rules.ShouldContain("elements = { 169.254.0.0/16, 10.0.2.2 }");
    }
}
