using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Tests.Egress;

public sealed class EgressRuleCoverTests
{
    [Theory]
    [InlineData("github.com", "github.com")]
    [InlineData("*.github.com", "api.github.com")]
    [InlineData("*.github.com", "a.b.github.com")]
    [InlineData("*.github.com", "*.github.com")]
    [InlineData("*.com", "*.github.com")]
    [InlineData("github.com", "github.com:443")]
    [InlineData("github.com:443", "github.com:443")]
    [InlineData("*.example.org", "*.a.example.org:8443")]
    [InlineData("10.0.0.0/8", "10.1.0.0/16")]
    [InlineData("10.0.0.0/8", "10.1.2.3")]
    [InlineData("10.1.0.0/16", "10.1.0.0/16:5432")]
    [InlineData("127.0.0.1", "127.0.0.1:8080")]
    [InlineData("fd00::/8", "[fd00::1]:443")]
    public void A_rule_is_covered_by_one_that_lets_through_all_it_does(string wider, string asked) =>
        EgressRuleCover.Covers(EgressRule.Parse(wider), EgressRule.Parse(asked)).ShouldBeTrue();

    [Theory]
    [InlineData("github.com", "api.github.com")]
    [InlineData("*.github.com", "github.com")]
    [InlineData("*.github.com", "evilgithub.com")]
    [InlineData("*.a.example.org", "*.example.org")]
    [InlineData("github.com", "*.github.com")]
    [InlineData("github.com:443", "github.com")]
    [InlineData("github.com:443", "github.com:22")]
    [InlineData("10.1.0.0/16", "10.0.0.0/8")]
    [InlineData("10.1.0.0/16", "10.2.0.1")]
    [InlineData("10.0.0.0/8", "fd00::/8")]
    [InlineData("example.com", "93.184.216.34")]
    [InlineData("93.184.216.34", "example.com")]
    public void A_rule_that_lets_through_more_is_not_covered(string wider, string asked) =>
        EgressRuleCover.Covers(EgressRule.Parse(wider), EgressRule.Parse(asked)).ShouldBeFalse();

    [Fact]
    public void Uncovered_names_each_rule_no_ceiling_rule_covers_with_its_index()
    {
        var ceiling = new[] { "*.npmjs.org", "10.0.0.0/8:5432" }.Select(EgressRule.Parse).ToList();
        var asked = new[] { "registry.npmjs.org", "evil.com", "10.2.0.0/16:5432", "10.2.0.0/16" }.Select(EgressRule.Parse).ToList();

        EgressRuleCover.Uncovered(ceiling, asked).Select(u => (u.Index, u.Rule.ToString())).ShouldBe([(1, "evil.com"), (3, "10.2.0.0/16")]);
    }
}
