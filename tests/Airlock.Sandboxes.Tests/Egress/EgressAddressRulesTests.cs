using System.Net;
using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Tests.Egress;

public sealed class EgressAddressRulesTests
{
    private static readonly IPAddress[] Host = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")];

    [Theory]
    [InlineData("127.0.0.1", EgressReasons.Loopback)]
    [InlineData("127.255.0.9", EgressReasons.Loopback)]
    [InlineData("::1", EgressReasons.Loopback)]
    [InlineData("0.0.0.0", EgressReasons.Unspecified)]
    [InlineData("::", EgressReasons.Unspecified)]
    [InlineData("169.254.169.254", EgressReasons.Metadata)]
    [InlineData("168.63.129.16", EgressReasons.Metadata)]
    [InlineData("169.254.1.1", EgressReasons.LinkLocal)]
    [InlineData("fe80::1", EgressReasons.LinkLocal)]
    [InlineData("10.0.0.1", EgressReasons.Private)]
    [InlineData("172.16.0.1", EgressReasons.Private)]
    [InlineData("172.31.255.255", EgressReasons.Private)]
    [InlineData("192.168.1.1", EgressReasons.Private)]
    [InlineData("fd00:ec2::254", EgressReasons.Private)]
    [InlineData("fc00::1", EgressReasons.Private)]
    [InlineData("100.64.0.1", EgressReasons.Cgnat)]
    [InlineData("100.100.100.200", EgressReasons.Cgnat)]
    [InlineData("224.0.0.1", EgressReasons.Multicast)]
    [InlineData("ff02::1", EgressReasons.Multicast)]
    [InlineData("255.255.255.255", EgressReasons.Broadcast)]
    [InlineData("240.0.0.1", EgressReasons.Reserved)]
    [InlineData("::ffff:127.0.0.1", EgressReasons.Loopback)]
    [InlineData("::ffff:169.254.169.254", EgressReasons.Metadata)]
    [InlineData("::ffff:10.0.0.1", EgressReasons.Private)]
    [InlineData("::127.0.0.1", EgressReasons.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", EgressReasons.Metadata)]
    [InlineData("192.0.2.10", EgressReasons.HostAddress)]
    [InlineData("2001:db8::10", EgressReasons.HostAddress)]
    [InlineData("::ffff:192.0.2.10", EgressReasons.HostAddress)]
    public void Addresses_behind_or_of_the_host_are_blocked(string address, string reason) =>
        EgressAddressRules.Blocked(IPAddress.Parse(address), Host).ShouldBe(reason);

    [Theory]
    [InlineData("140.82.112.3")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("64:ff9b::8c52:7003")]
    public void Public_addresses_are_not_blocked(string address) =>
        EgressAddressRules.Blocked(IPAddress.Parse(address), Host).ShouldBeNull();

    [Fact]
    public void A_name_rule_never_unlocks_a_private_address_but_an_address_rule_does()
    {
        var byName = EgressPolicy.AllowOnly("allowed.example");
        var byAddress = EgressPolicy.AllowOnly("allowed.example", "127.0.0.1/32");

        byName.CheckDestination("allowed.example", 80, Host).Allowed.ShouldBeTrue();
        byName.CheckAddress(IPAddress.Loopback, 80, requested: false, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.Loopback));
        byAddress.CheckAddress(IPAddress.Loopback, 80, requested: false, Host).Allowed.ShouldBeTrue();
        byAddress.CheckAddress(IPAddress.Parse("127.0.0.2"), 80, requested: false, Host).Allowed.ShouldBeFalse("the rule names 127.0.0.1 only");
    }

    [Fact]
    public void Open_mode_still_refuses_metadata_loopback_private_and_host_addresses()
    {
        var open = new EgressPolicy(EgressMode.Open, []);

        open.CheckDestination("169.254.169.254", 80, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.Metadata));
        open.CheckDestination("127.0.0.1", 80, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.Loopback));
        open.CheckDestination("10.9.9.9", 80, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.Private));
        open.CheckDestination("192.0.2.10", 80, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.HostAddress));
        open.CheckDestination("140.82.112.3", 443, Host).ShouldBe(EgressDecision.Allow(EgressReasons.AllowedOpen));
        open.CheckDestination("anything.example", 443, Host).Allowed.ShouldBeTrue();
    }

    [Fact]
    public void Mode_none_refuses_even_what_a_rule_names()
    {
        var none = new EgressPolicy(EgressMode.None, [EgressRule.Parse("github.com"), EgressRule.Parse("140.82.112.3")]);

        none.CheckDestination("github.com", 443, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.ModeNone));
        none.CheckAddress(IPAddress.Parse("140.82.112.3"), 443, requested: false, Host).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void In_allowlist_mode_a_public_address_literal_needs_its_own_rule()
    {
        var policy = EgressPolicy.AllowOnly("github.com", "140.82.112.0/24:443");

        policy.CheckDestination("140.82.112.3", 443, Host).Allowed.ShouldBeTrue();
        policy.CheckDestination("140.82.112.3", 22, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.NotAllowed));
        policy.CheckDestination("140.82.113.3", 443, Host).ShouldBe(EgressDecision.Refuse(EgressReasons.NotAllowed));
        policy.CheckAddress(IPAddress.Parse("140.82.113.3"), 443, requested: false, Host).Allowed.ShouldBeTrue("resolved from an allowed name");
    }
}
