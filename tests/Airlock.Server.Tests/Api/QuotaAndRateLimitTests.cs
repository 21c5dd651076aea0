using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Api;

public sealed class QuotaAndRateLimitTests
{
    [Theory(Timeout = 240_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Concurrent_creates_through_the_api_never_exceed_the_quota(string store)
    {
        await using var server = await ServerHarness.StartAsync(store);
        var tenant = await server.NewTenantAsync("racer", maxSandboxes: 3);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox($"r{i}"), Ct)));

        responses.Count(r => (int)r.StatusCode == 201).ShouldBe(3);
        foreach (var refused in responses.Where(r => (int)r.StatusCode != 201))
        {
            var problem = await Expect.ProblemAsync(refused, 409);
            problem["detail"]!.GetValue<string>().ShouldContain("quota");
        }

        var usage = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/racer/quota", Ct), 200);
        usage["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(3);
        (await server.ContainerNamesAsync()).Count.ShouldBe(3);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_key_over_its_tiers_rate_gets_429_with_retry_after()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("slow", tier: "tiny");

        // The tiny tier's bucket holds 3 requests and refills one a minute: the 4th is refused.
        for (var i = 0; i < 3; i++)
        {
            await Expect.StatusAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
        }

        var limited = await tenant.Viewer.GetAsync("/v1/sandboxes", Ct);
        var problem = await Expect.ProblemAsync(limited, 429);
        problem["detail"]!.GetValue<string>().ShouldContain("rate limit");
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);

        // Per key: the tenant's other keys still have their own buckets; the system admin is never limited.
        await Expect.StatusAsync(await tenant.Operator.GetAsync("/v1/sandboxes", Ct), 200);
        await Expect.StatusAsync(await server.Admin.GetAsync("/v1/tenants", Ct), 200);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_tenant_over_its_tiers_rate_gets_429_whichever_key_asks()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("busy", tier: "tiny-tenant");

        await Expect.StatusAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
        await Expect.StatusAsync(await tenant.Operator.GetAsync("/v1/sandboxes", Ct), 200);
        await Expect.StatusAsync(await tenant.Admin.GetAsync("/v1/sandboxes", Ct), 200);

        var problem = await Expect.ProblemAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 429);
        problem["detail"]!.GetValue<string>().ShouldContain("tenant 'busy'");
        var other = await server.NewTenantAsync("calm", tier: "tiny-tenant");
        await Expect.StatusAsync(await other.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_changed_quota_applies_to_the_next_create_and_a_tenant_with_sandboxes_cannot_be_deleted()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("grow", maxSandboxes: 1);
        var first = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("one"), Ct), 201);
        await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("two"), Ct), 409);

        var raised = await Expect.JsonAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/grow/quota", new { maxSandboxes = 2 }, Ct), 200);
        raised["quota"]!["maxSandboxes"]!.GetValue<long>().ShouldBe(2);
        await Expect.StatusAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("two"), Ct), 201);
        await Expect.ProblemAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/grow/quota", new { maxSandboxes = -1 }, Ct), 400);

        await Expect.ProblemAsync(await server.Admin.DeleteAsync("/v1/tenants/grow", Ct), 409);
        var list = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
        var ids = list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();
        ids.ShouldContain(first["id"]!.GetValue<string>());
        await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes/bulk-delete", new { ids }, Ct), 200);
        await Expect.StatusAsync(await server.Admin.DeleteAsync("/v1/tenants/grow", Ct), 204);
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 401);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }
}
