using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// Issue 10, item 3: tokens that outlive what they stand for. A token is bound to the key it was minted from (and that
/// key's tenant as it was then): revoking the key or deleting the tenant ends it; its lifetime is capped when it is
/// checked, not only when it is minted; and a token cannot mint keys or tokens.
/// </summary>
public sealed class TokenBreachTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_token_forged_with_a_long_lifetime_or_claims_its_key_lacks_is_refused()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var minted = (await Expect.JsonAsync(await tenant.Viewer.PostAsJsonAsync("/v1/tokens", new { ttlSeconds = 300 }, Ct), 201))["token"]!.GetValue<string>();
        var key = await TokenForgery.StealSigningKeyAsync(server);
        var header = TokenForgery.HeaderOf(minted);
        var now = TokenForgery.Now;
        var tenYears = 10L * 365 * 24 * 3600;

        // The audit's token: a system admin for ten years.
        var forged = TokenForgery.Sign(key, header, TokenForgery.Claims(TokenForgery.KeyId(server.BootstrapKey), "admin", null, now, now + tenYears));
        (await Expect.ProblemAsync(await server.Client(forged).GetAsync("/v1/tenants", Ct), 401))["detail"]!.GetValue<string>().ShouldContain("lifetime");

        // Issued long ago with a far expiry, issued in the future, or with no expiry at all.
        foreach (var (issued, expires) in new[] { (now - tenYears, now + 600), (now + 3600, now + 4000) })
        {
            var claims = TokenForgery.Claims(TokenForgery.KeyId(tenant.Keys["viewer"]), "viewer", "acme", issued, expires);
            await Expect.ProblemAsync(await server.Client(TokenForgery.Sign(key, header, claims)).GetAsync("/v1/sandboxes", Ct), 401);
        }

        var noExpiry = TokenForgery.Claims(TokenForgery.KeyId(tenant.Keys["viewer"]), "viewer", "acme", now, now + 60);
        noExpiry.Remove("exp");
        await Expect.ProblemAsync(await server.Client(TokenForgery.Sign(key, header, noExpiry)).GetAsync("/v1/sandboxes", Ct), 401);

        // A viewer key's token rewritten to say admin, or another tenant.
        var promoted = TokenForgery.PayloadOf(minted);
        promoted["airlock:role"] = "admin";
        await Expect.ProblemAsync(await server.Client(TokenForgery.Sign(key, header, promoted)).GetAsync("/v1/tenants/acme/keys", Ct), 401);
        var moved = TokenForgery.PayloadOf(minted);
        moved["airlock:tenant"] = "other";
        await Expect.ProblemAsync(await server.Client(TokenForgery.Sign(key, header, moved)).GetAsync("/v1/sandboxes", Ct), 401);

        // The genuine token still works.
        await Expect.StatusAsync(await server.Client(minted).GetAsync("/v1/sandboxes", Ct), 200);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_token_minted_from_a_key_that_is_then_revoked_is_refused()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var token = (await Expect.JsonAsync(await tenant.Viewer.PostAsJsonAsync("/v1/tokens", new { ttlSeconds = 3600 }, Ct), 201))["token"]!.GetValue<string>();
        var withToken = server.Client(token);
        await Expect.StatusAsync(await withToken.GetAsync("/v1/sandboxes", Ct), 200);

        await Expect.StatusAsync(await tenant.Admin.DeleteAsync($"/v1/tenants/acme/keys/{TokenForgery.KeyId(tenant.Keys["viewer"])}", Ct), 204);

        (await Expect.ProblemAsync(await withToken.GetAsync("/v1/sandboxes", Ct), 401))["detail"]!.GetValue<string>().ShouldContain("revoked");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_deleted_tenants_token_does_not_reach_a_new_tenant_of_the_same_id()
    {
        await using var server = await ServerHarness.StartAsync();
        var first = await server.NewTenantAsync("phoenix");
        var token = (await Expect.JsonAsync(await first.Admin.PostAsJsonAsync("/v1/tokens", new { ttlSeconds = 3600 }, Ct), 201))["token"]!.GetValue<string>();
        var old = server.Client(token);
        await Expect.StatusAsync(await server.Admin.DeleteAsync("/v1/tenants/phoenix", Ct), 204);

        await server.NewTenantAsync("phoenix");

        await Expect.ProblemAsync(await old.GetAsync("/v1/tenants/phoenix", Ct), 401);
        await Expect.ProblemAsync(await old.GetAsync("/v1/tenants/phoenix/keys", Ct), 401);
        await Expect.ProblemAsync(await old.PostAsJsonAsync("/v1/tenants/phoenix/keys", new { name = "backdoor", role = "admin" }, Ct), 401);
        var keys = await Expect.JsonAsync(await server.Admin.GetAsync("/v1/tenants/phoenix/keys", Ct), 200);
        keys.AsArray().ShouldNotContain(k => k!["name"]!.GetValue<string>() == "backdoor");
    }

    [Fact(Timeout = 60_000)]
    public async Task Keys_and_tokens_cannot_be_minted_with_a_token()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var tenantToken = server.Client((await Expect.JsonAsync(await tenant.Admin.PostAsJsonAsync("/v1/tokens", new { }, Ct), 201))["token"]!.GetValue<string>());
        var systemToken = server.Client((await Expect.JsonAsync(await server.Admin.PostAsJsonAsync("/v1/tokens", new { }, Ct), 201))["token"]!.GetValue<string>());

        foreach (var (client, path) in new[]
        {
            (tenantToken, "/v1/tenants/acme/keys"), (systemToken, "/v1/tenants/acme/keys"), (systemToken, "/v1/system/keys"),
        })
        {
            var refused = await Expect.ProblemAsync(await client.PostAsJsonAsync(path, new { name = "minted", role = "admin" }, Ct), 403);
            refused["detail"]!.GetValue<string>().ShouldContain("API key");
        }

        await Expect.ProblemAsync(await tenantToken.PostAsJsonAsync("/v1/tokens", new { }, Ct), 403);
        await Expect.ProblemAsync(await systemToken.PostAsJsonAsync("/v1/tokens", new { }, Ct), 403);
        (await Expect.JsonAsync(await server.Admin.GetAsync("/v1/tenants/acme/keys", Ct), 200)).AsArray().ShouldNotContain(k => k!["name"]!.GetValue<string>() == "minted");
        (await Expect.JsonAsync(await server.Admin.GetAsync("/v1/system/keys", Ct), 200)).AsArray().ShouldNotContain(k => k!["name"]!.GetValue<string>() == "minted");

        // What tokens are for still works: reading, and acting within the key's role.
        await Expect.StatusAsync(await tenantToken.GetAsync("/v1/tenants/acme/keys", Ct), 200);
        await Expect.StatusAsync(await systemToken.GetAsync("/v1/tenants", Ct), 200);
    }
}
