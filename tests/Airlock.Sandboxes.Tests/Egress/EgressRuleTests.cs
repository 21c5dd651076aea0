using System.Net;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Validation;

namespace Airlock.Sandboxes.Tests.Egress;

public sealed class EgressRuleTests
{
    [Theory]
    [InlineData("github.com", EgressRuleKind.Host, "github.com")]
    [InlineData("GitHub.COM.", EgressRuleKind.Host, "github.com")]
    [InlineData("*.npmjs.org", EgressRuleKind.Subdomains, "*.npmjs.org")]
    [InlineData("github.com:22", EgressRuleKind.Host, "github.com:22")]
    [InlineData("*.example.com:443", EgressRuleKind.Subdomains, "*.example.com:443")]
    [InlineData("bücher.example", EgressRuleKind.Host, "xn--bcher-kva.example")]
    [InlineData("192.0.2.7", EgressRuleKind.Network, "192.0.2.7")]
    [InlineData("192.0.2.7:8080", EgressRuleKind.Network, "192.0.2.7:8080")]
    [InlineData("[2001:db8::1]:443", EgressRuleKind.Network, "[2001:db8::1]:443")]
    [InlineData("2001:db8::1", EgressRuleKind.Network, "2001:db8::1")]
    [InlineData("10.1.0.0/16", EgressRuleKind.Network, "10.1.0.0/16")]
    [InlineData("10.1.0.0/16:5432", EgressRuleKind.Network, "10.1.0.0/16:5432")]
    [InlineData("fd00::/8", EgressRuleKind.Network, "fd00::/8")]
    [InlineData("[fd00::/8]:5432", EgressRuleKind.Network, "[fd00::/8]:5432")]
    [InlineData("::ffff:127.0.0.1", EgressRuleKind.Network, "127.0.0.1")]
    public void Valid_rules_parse_into_their_normal_form(string text, EgressRuleKind kind, string normal)
    {
        EgressRule.TryParse(text, out var rule, out var problem).ShouldBeTrue(problem);

        rule.Kind.ShouldBe(kind);
        rule.ToString().ShouldBe(normal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("*.", "a wildcard needs a suffix, e.g. *.example.com")]
    [InlineData("*", "use mode open")]
    [InlineData("a.*.example.com", "only be the whole first label")]
    [InlineData("*example.com", "only be the whole first label")]
    [InlineData("https://github.com", "without a scheme")]
    [InlineData("github.com/org", "not a path")]
    [InlineData("github.com:0", "'0' is not a port (1-65535)")]
    [InlineData("github.com:70000", "'70000' is not a port (1-65535)")]
    [InlineData("github.com:", "is not a port")]
    [InlineData("10.1.2.3/16", "did you mean 10.1.0.0/16?")]
    [InlineData("10.0.0.0/33", "not a prefix length (0-32)")]
    [InlineData("0.0.0.0/0", "use mode open")]
    [InlineData("*.10.0.0.1", "not an address")]
    [InlineData("exa mple.com", "spaces")]
    [InlineData("under_score-.com", "characters a host name cannot have")]
    [InlineData("[github.com]:443", "brackets are only for IPv6")]
    [InlineData("[::1", "[2001:db8::1]:443")]
    public void Invalid_rules_say_what_is_wrong(string text, string expected)
    {
        EgressRule.TryParse(text, out _, out var problem).ShouldBeFalse();

        problem.ShouldContain(expected);
    }

    [Fact]
    public void The_policy_parser_reports_every_bad_rule_and_the_mode_with_its_path()
    {
        var errors = new ValidationErrors();

        var policy = EgressPolicyParser.Parse("allow-list", ["github.com", "*.npmjs.org", "*.", "x:99999"], errors);

        errors.All.Select(e => e.ToString()).ShouldBe(
        [
            "network.mode: \"allow-list\" is not one of open, allowlist, none",
            "network.allow[2]: \"*.\": a wildcard needs a suffix, e.g. *.example.com",
            "network.allow[3]: \"x:99999\": '99999' is not a port (1-65535)",
        ]);
        policy.Mode.ShouldBe(EgressMode.None, "an unknown mode must never fall open");
        policy.Allow.Select(r => r.ToString()).ShouldBe(["github.com", "*.npmjs.org"]);
    }

    [Fact]
    public void The_throwing_policy_parser_carries_every_error()
    {
        var ex = Should.Throw<ValidationException>(() => EgressPolicyParser.Parse("allowlist", ["", "*"], "sandbox.network"));

        ex.Message.ShouldContain("sandbox.network.allow[0]");
        ex.Message.ShouldContain("sandbox.network.allow[1]");
    }

    [Fact]
    public void Control_characters_in_a_bad_rule_are_escaped_in_the_error()
    {
        var errors = new ValidationErrors();

        EgressPolicyParser.Parse("allowlist", ["evil\u001b[31m.com"], errors);

        errors.All.Single().Message.ShouldStartWith("\"evil\\u001b[31m.com\"");
    }

    [Theory]
    [InlineData("github.com", "github.com", 443, true)]
    [InlineData("github.com", "api.github.com", 443, false)]
    [InlineData("github.com:22", "github.com", 443, false)]
    [InlineData("github.com:22", "github.com", 22, true)]
    [InlineData("*.npmjs.org", "registry.npmjs.org", 443, true)]
    [InlineData("*.npmjs.org", "a.b.npmjs.org", 443, true)]
    [InlineData("*.npmjs.org", "npmjs.org", 443, false)]
    [InlineData("*.npmjs.org", "evilnpmjs.org", 443, false)]
    [InlineData("*.npmjs.org:443", "registry.npmjs.org", 80, false)]
    public void Name_rules_match_names(string rule, string host, int port, bool matches) =>
        EgressRule.Parse(rule).MatchesName(host, port).ShouldBe(matches);

    [Theory]
    [InlineData("10.1.0.0/16", "10.1.200.3", 5432, true)]
    [InlineData("10.1.0.0/16", "10.2.0.1", 5432, false)]
    [InlineData("10.1.0.0/16:5432", "10.1.0.1", 22, false)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", 80, true)]
    [InlineData("[fd00::/8]:5432", "fd12::1", 5432, true)]
    [InlineData("github.com", "140.82.112.3", 443, false)]
    public void Address_rules_contain_addresses(string rule, string address, int port, bool contains) =>
        EgressRule.Parse(rule).ContainsAddress(IPAddress.Parse(address), port).ShouldBe(contains);
}
