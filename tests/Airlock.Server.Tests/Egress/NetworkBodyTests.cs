using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Egress;

/// <summary>
/// The create body's <c>network</c> (the strings of before, or the object) and the tenant's egress ceiling: every bad
/// field is a 400 naming its path and the fix, anything beyond the ceiling a 403 naming the destination and the endpoint
/// that widens it. No sandbox is made by a refused create.
/// </summary>
public sealed class NetworkBodyTests
{
    private static async Task<JsonNode> NetworkOfAsync(TestTenant tenant, object network, string name)
    {
        var created = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxOn(name, network), Ct), 201);
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{created["id"]!.GetValue<string>()}", Ct), 204);
        return created["network"]!;
    }

    [Fact(Timeout = 180_000)]
    public async Task The_strings_of_before_and_the_object_are_taken_and_shown_as_the_object()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");

        var none = await NetworkOfAsync(tenant, "none", "as-none");
        var bridge = await NetworkOfAsync(tenant, "bridge", "as-bridge");
        var open = await NetworkOfAsync(tenant, new { mode = "open" }, "as-open");
        var absent = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("as-default"), Ct), 201))["network"]!;

        none.ToJsonString().ShouldBe("""{"mode":"none","allow":[]}""");
        bridge.ToJsonString().ShouldBe("""{"mode":"open","allow":[]}""");
        open.ToJsonString().ShouldBe("""{"mode":"open","allow":[]}""");
        absent.ToJsonString().ShouldBe("""{"mode":"none","allow":[]}""");
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_bad_network_field_is_a_400_with_its_path_and_nothing_is_created()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");

        async Task<string> RefusedAsync(object network)
        {
            var problem = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxOn("refused", network), Ct), 400);
            return problem["detail"]!.GetValue<string>();
        }

        var badMode = await RefusedAsync(new { mode = "everything" });
        var badString = await RefusedAsync("internet");
        var badRules = await RefusedAsync(new { mode = "allowlist", allow = new[] { "github.com", "*.npmjs.org", "https://evil.example", "bad host" } });
        var allowWithOpen = await RefusedAsync(new { mode = "open", allow = new[] { "github.com" } });
        var missingMode = await RefusedAsync(new { allow = new[] { "github.com" } });
        var unknownField = await RefusedAsync(new { mode = "allowlist", allowed = new[] { "github.com" } });
        var wrongType = await RefusedAsync(new { mode = "allowlist", allow = new object[] { "github.com", 443 } });

        badMode.ShouldContain("sandbox.network.mode");
        badMode.ShouldContain("open, allowlist, none");
        badString.ShouldContain("sandbox.network: 'internet' is not none or bridge");
        badRules.ShouldContain("sandbox.network.allow[2]");
        badRules.ShouldContain("without a scheme");
        badRules.ShouldContain("sandbox.network.allow[3]");
        badRules.ShouldNotContain("allow[0]");
        badRules.ShouldNotContain("allow[1]");
        allowWithOpen.ShouldContain("sandbox.network.allow: only an allowlist has destinations");
        missingMode.ShouldContain("sandbox.network.mode: is missing");
        unknownField.ShouldContain("network has no field 'allowed'");
        unknownField.ShouldContain("$.network");
        wrongType.ShouldContain("network.allow[1] is not a string");
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200))["items"]!.AsArray().ShouldBeEmpty();
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_system_admin_sets_the_ceiling_and_a_create_beyond_it_is_403_naming_the_destination(string store)
    {
        await using var server = await ServerHarness.StartAsync(store);
        var tenant = await server.NewTenantAsync("acme");

        var initial = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme/egress", Ct), 200);
        initial.ToJsonString().ShouldBe("""{"allow":[],"open":true}""");
        await Expect.ProblemAsync(await tenant.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { open = false }, Ct), 403);
        var bad = await Expect.ProblemAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { allow = new[] { "ok.example", "*." } }, Ct), 400);
        bad["detail"]!.GetValue<string>().ShouldContain("egress.allow[1]");
        var set = await Expect.JsonAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { allow = new[] { "*.example.org", "10.1.0.0/16" }, open = false }, Ct), 200);
        set.ToJsonString().ShouldBe("""{"allow":["*.example.org","10.1.0.0/16"],"open":false}""");
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme", Ct), 200))["egress"]!["open"]!.GetValue<bool>().ShouldBeFalse();

        var open = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxOn("wide", "bridge"), Ct), 403);
        var beyond = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxOn("wide", new
        {
            mode = "allowlist",
            allow = new[] { "api.example.org", "evil.com", "10.1.2.0/24:5432", "10.2.0.1" },
        }), Ct), 403);

        open["detail"]!.GetValue<string>().ShouldContain("sandbox.network.mode: 'open' is not allowed");
        open["detail"]!.GetValue<string>().ShouldContain("PUT /v1/tenants/{tenant}/egress");
        var detail = beyond["detail"]!.GetValue<string>();
        detail.ShouldContain("sandbox.network.allow[1]: 'evil.com' is beyond this tenant's egress ceiling");
        detail.ShouldContain("sandbox.network.allow[3]: '10.2.0.1'");
        detail.ShouldNotContain("allow[0]");
        detail.ShouldNotContain("allow[2]");
        detail.ShouldContain("the system admin sets it: PUT /v1/tenants/{tenant}/egress");
        (await server.ContainerNamesAsync()).ShouldBeEmpty();

        // Only what was asked changes; the rest stays.
        var reopened = await Expect.JsonAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { open = true }, Ct), 200);
        reopened.ToJsonString().ShouldBe("""{"allow":["*.example.org","10.1.0.0/16"],"open":true}""");
        var audit = await Expect.JsonAsync(await server.Admin.GetAsync("/v1/audit?tenant=acme", Ct), 200);
        audit["entries"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ShouldContain("PUT /v1/tenants/{tenant}/egress");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_allowlist_sandbox_on_a_remote_node_is_refused_naming_the_node()
    {
        await using var server = await ServerHarness.StartAsync(configure: o => o with
        {
            Nodes = [new Airlock.Server.Nodes.NodeOptions("far", Airlock.Engine.Transport.EngineEndpoint.Tcp("127.0.0.1", 9), Unbounded: true)],
        });
        var tenant = await server.NewTenantAsync("acme");

        var refused = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxOn("far-away", new { mode = "allowlist", allow = new[] { "github.com" } }), Ct), 409);

        var detail = refused["detail"]!.GetValue<string>();
        detail.ShouldContain("node 'far' (tcp://127.0.0.1:9)");
        detail.ShouldContain("unix socket");
    }
}
