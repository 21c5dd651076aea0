using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Api;

/// <summary>Another tenant's keys, whatever their role, find nothing of tenant A's: every route answers 404 (or the tenant's own, empty view).</summary>
public sealed class TenantIsolationTests
{
    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Every_route_hides_another_tenants_sandboxes_keys_and_audit(string store)
    {
        await using var server = await ServerHarness.StartAsync(store);
        var a = await server.NewTenantAsync("tenant-a");
        var b = await server.NewTenantAsync("tenant-b");
        var created = await Expect.JsonAsync(await a.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("secret"), Ct), 201);
        var id = created["id"]!.GetValue<string>();
        var keyOfA = (await Expect.JsonAsync(await a.Admin.GetAsync("/v1/tenants/tenant-a/keys", Ct), 200)).AsArray()[0]!["id"]!.GetValue<string>();

        foreach (var intruder in new[] { b.Admin, b.Operator, b.Viewer })
        {
            await Expect.ProblemAsync(await intruder.GetAsync($"/v1/sandboxes/{id}", Ct), 404);
            await Expect.ProblemAsync(await intruder.GetAsync($"/v1/sandboxes/{id}/logs", Ct), 404);
            await Expect.ProblemAsync(await intruder.GetAsync("/v1/tenants/tenant-a", Ct), 404);
            await Expect.ProblemAsync(await intruder.GetAsync("/v1/tenants/tenant-a/quota", Ct), 404);
            await Expect.ProblemAsync(await intruder.GetAsync("/v1/tenants/tenant-a/keys", Ct), 404);
            var list = await Expect.JsonAsync(await intruder.GetAsync("/v1/sandboxes", Ct), 200);
            list["items"]!.AsArray().ShouldBeEmpty();
            var tenants = await Expect.JsonAsync(await intruder.GetAsync("/v1/tenants", Ct), 200);
            tenants.AsArray().Select(t => t!["id"]!.GetValue<string>()).ShouldBe(["tenant-b"]);
        }

        // Routes that change state: a viewer is refused for its role before anything is looked up, the others get 404.
        foreach (var intruder in new[] { b.Admin, b.Operator })
        {
            await Expect.ProblemAsync(await intruder.PostAsync($"/v1/sandboxes/{id}/stop", null, Ct), 404);
            await Expect.ProblemAsync(await intruder.PostAsync($"/v1/sandboxes/{id}/start", null, Ct), 404);
            await Expect.ProblemAsync(await intruder.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" } }, Ct), 404);
            await Expect.ProblemAsync(await intruder.DeleteAsync($"/v1/sandboxes/{id}", Ct), 404);
            var bulk = await Expect.JsonAsync(await intruder.PostAsJsonAsync("/v1/sandboxes/bulk-delete", new { ids = new[] { id } }, Ct), 200);
            bulk["results"]!.AsArray()[0]!["status"]!.GetValue<int>().ShouldBe(404);
            await Expect.ProblemAsync(await intruder.PostAsJsonAsync("/v1/tenants/tenant-a/keys", new { name = "x", role = "admin" }, Ct), 404);
            await Expect.ProblemAsync(await intruder.DeleteAsync($"/v1/tenants/tenant-a/keys/{keyOfA}", Ct), 404);
        }

        await Expect.ProblemAsync(await b.Admin.GetAsync("/v1/audit?tenant=tenant-a", Ct), 404);
        var ownAudit = await Expect.JsonAsync(await b.Admin.GetAsync("/v1/audit", Ct), 200);
        ownAudit["entries"]!.AsArray().ShouldAllBe(e => e!["tenantId"]!.GetValue<string>() == "tenant-b");

        // After all that, A's sandbox is untouched and still running.
        var still = await Expect.JsonAsync(await a.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200);
        still["state"]!.GetValue<string>().ShouldBe("running");
        (await server.Engine.Containers.InspectAsync("airlock-" + id, Ct)).State.Running.ShouldBeTrue();
        await Expect.StatusAsync(await a.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
    }
}
