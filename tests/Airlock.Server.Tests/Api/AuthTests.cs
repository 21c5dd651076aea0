using System.Net.Http.Headers;
using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Api;

public sealed class AuthTests
{
    [Fact(Timeout = 60_000)]
    public async Task Requests_without_a_valid_key_get_401_problems()
    {
        await using var server = await ServerHarness.StartAsync();
        var anonymous = server.Client(null);
        foreach (var path in new[] { "/v1/sandboxes", "/v1/tenants", "/v1/audit", "/metrics", "/v1/system/keys" })
        {
            var response = await anonymous.GetAsync(path, Ct);
            await Expect.ProblemAsync(response, 401);
            response.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");
        }

        var wrong = await Expect.ProblemAsync(await server.Client("alk_k0000000000000000_notasecret").GetAsync("/v1/tenants", Ct), 401);
        wrong["detail"]!.GetValue<string>().ShouldContain("unknown or revoked");
        await Expect.ProblemAsync(await server.Client("eyJhbGciOiJIUzI1NiJ9.e30.bad").GetAsync("/v1/tenants", Ct), 401);
        var basic = server.Client(null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        (await Expect.ProblemAsync(await basic.GetAsync("/v1/tenants", Ct), 401))["detail"]!.GetValue<string>().ShouldContain("Bearer");
    }

    [Fact(Timeout = 60_000)]
    public async Task Roles_decide_what_a_key_may_do()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");

        await Expect.ProblemAsync(await tenant.Viewer.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("x"), Ct), 403);
        await Expect.ProblemAsync(await tenant.Operator.GetAsync("/v1/tenants/acme/keys", Ct), 403);
        await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/tenants/acme/keys", new { name = "more", role = "admin" }, Ct), 403);
        await Expect.ProblemAsync(await tenant.Admin.PostAsJsonAsync("/v1/tenants", new { id = "mine" }, Ct), 403);
        await Expect.ProblemAsync(await tenant.Admin.PutAsJsonAsync("/v1/tenants/acme/quota", new { maxSandboxes = 1000 }, Ct), 403);
        await Expect.ProblemAsync(await tenant.Admin.GetAsync("/metrics", Ct), 403);
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync("/v1/audit", Ct), 403);
        // The system admin manages tenants but owns no sandboxes.
        var system = await Expect.ProblemAsync(await server.Admin.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("x"), Ct), 403);
        system["detail"]!.GetValue<string>().ShouldContain("tenant");
        await Expect.StatusAsync(await tenant.Admin.GetAsync("/v1/tenants/acme/keys", Ct), 200);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_revoked_key_stops_working_at_once()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var keys = await Expect.JsonAsync(await tenant.Admin.GetAsync("/v1/tenants/acme/keys", Ct), 200);
        var viewerId = keys.AsArray().Single(k => k!["role"]!.GetValue<string>() == "viewer")!["id"]!.GetValue<string>();
        await Expect.StatusAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);

        await Expect.StatusAsync(await tenant.Admin.DeleteAsync($"/v1/tenants/acme/keys/{viewerId}", Ct), 204);

        await Expect.ProblemAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 401);
    }

    [Fact(Timeout = 60_000)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_key_is_shown_once_and_the_bootstrap_key_file_is_private()
    {
        await using var server = await ServerHarness.StartAsync();
        var created = await Expect.JsonAsync(await server.Admin.PostAsJsonAsync("/v1/tenants", new { id = "acme" }, Ct), 201);
        created["id"]!.GetValue<string>().ShouldBe("acme");
        var key = await Expect.JsonAsync(await server.Admin.PostAsJsonAsync("/v1/tenants/acme/keys", new { name = "ci", role = "operator" }, Ct), 201);
        key["key"]!.GetValue<string>().ShouldStartWith("alk_");

        var listed = await server.Admin.GetStringAsync("/v1/tenants/acme/keys", Ct);
        listed.ShouldNotContain(key["key"]!.GetValue<string>());
        listed.ShouldNotContain("\"key\"");

        var mode = File.GetUnixFileMode(server.Server.BootstrapKeyFile!);
        mode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_token_minted_from_a_key_carries_its_tenant_and_role()
    {
        await using var server = await ServerHarness.StartAsync();
        var a = await server.NewTenantAsync("tenant-a");
        await server.NewTenantAsync("tenant-b");
        var minted = await Expect.JsonAsync(await a.Viewer.PostAsJsonAsync("/v1/tokens", new { ttlSeconds = 300 }, Ct), 201);
        var token = minted["token"]!.GetValue<string>();
        token.ShouldStartWith("eyJ");
        var withToken = server.Client(token);

        await Expect.StatusAsync(await withToken.GetAsync("/v1/sandboxes", Ct), 200);
        await Expect.StatusAsync(await withToken.GetAsync("/v1/tenants/tenant-a", Ct), 200);
        await Expect.ProblemAsync(await withToken.GetAsync("/v1/tenants/tenant-b", Ct), 404);
        await Expect.ProblemAsync(await withToken.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("x"), Ct), 403);
        await Expect.ProblemAsync(await withToken.PostAsJsonAsync("/v1/tokens", new { }, Ct), 403);
        await Expect.ProblemAsync(await a.Viewer.PostAsJsonAsync("/v1/tokens", new { ttlSeconds = 999_999 }, Ct), 400);

        // One changed character in the signature and the token is refused.
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        await Expect.ProblemAsync(await server.Client(tampered).GetAsync("/v1/sandboxes", Ct), 401);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_token_stops_working_when_it_expires()
    {
        var clock = new ShiftableTime();
        await using var server = await ServerHarness.StartAsync(time: clock);
        var tenant = await server.NewTenantAsync("acme");
        var minted = await Expect.JsonAsync(await tenant.Viewer.PostAsJsonAsync("/v1/tokens", new { ttlSeconds = 60 }, Ct), 201);
        var withToken = server.Client(minted["token"]!.GetValue<string>());
        await Expect.StatusAsync(await withToken.GetAsync("/v1/sandboxes", Ct), 200);

        clock.Advance(TimeSpan.FromMinutes(2));

        var expired = await Expect.ProblemAsync(await withToken.GetAsync("/v1/sandboxes", Ct), 401);
        expired["detail"]!.GetValue<string>().ShouldContain("expired");
        await Expect.StatusAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
    }
}
