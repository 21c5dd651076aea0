using Airlock.Sandboxes.Egress;
using Airlock.Server.Tenants;

namespace Airlock.Server.Tests.Egress;

/// <summary>The tenant's egress ceiling as a pure function: what of a sandbox's asked policy lies beyond it.</summary>
public sealed class TenantEgressTests
{
    private static TenantEgress Ceiling(bool open, params string[] allow) => new(open, allow.Select(EgressRule.Parse).ToList());

    [Fact]
    public void The_default_ceiling_allows_open_and_any_host_name_but_no_address_rule()
    {
        var ceiling = TenantEgress.Default;

        ceiling.Beyond(new EgressPolicy(EgressMode.Open, [])).ShouldBeEmpty();
        ceiling.Beyond(EgressPolicy.AllowOnly("github.com", "*.npmjs.org:443")).ShouldBeEmpty();
        ceiling.Beyond(EgressPolicy.AllowOnly("github.com", "127.0.0.1:8080", "10.0.0.0/8")).ShouldBe([(1, "127.0.0.1:8080"), (2, "10.0.0.0/8")]);
        ceiling.Beyond(EgressPolicy.Deny).ShouldBeEmpty();
    }

    [Fact]
    public void A_closed_ceiling_refuses_open_and_every_rule_it_does_not_cover()
    {
        var ceiling = Ceiling(false, "*.github.com", "github.com", "10.1.0.0/16:5432");

        ceiling.Beyond(new EgressPolicy(EgressMode.Open, [])).ShouldBe([(-1, "open")]);
        ceiling.Beyond(EgressPolicy.AllowOnly("api.github.com:443", "github.com", "10.1.2.3:5432")).ShouldBeEmpty();
        ceiling.Beyond(EgressPolicy.AllowOnly("evil.com", "10.1.2.3", "*.com")).ShouldBe([(0, "evil.com"), (1, "10.1.2.3"), (2, "*.com")]);
        ceiling.Beyond(EgressPolicy.Deny).ShouldBeEmpty();
    }

    [Fact]
    public void Address_rules_need_a_ceiling_rule_even_when_open_is_allowed()
    {
        var ceiling = Ceiling(true, "127.0.0.1");

        ceiling.Beyond(EgressPolicy.AllowOnly("127.0.0.1:9000", "anything.example")).ShouldBeEmpty();
        ceiling.Beyond(EgressPolicy.AllowOnly("127.0.0.2")).ShouldBe([(0, "127.0.0.2")]);
    }

    [Fact]
    public void The_stored_form_reads_back_and_skips_a_rule_it_cannot_read()
    {
        var ceiling = Ceiling(false, "github.com", "[fd00::/8]:5432", "*.example.org");

        var back = TenantEgress.FromStored(ceiling.StoredAllow + "\nnot a rule", 0);

        back.Open.ShouldBeFalse();
        back.Allow.Select(r => r.ToString()).ShouldBe(["github.com", "[fd00::/8]:5432", "*.example.org"]);
        var empty = TenantEgress.FromStored("", 1);
        empty.Open.ShouldBeTrue();
        empty.Allow.ShouldBeEmpty();
    }
}
