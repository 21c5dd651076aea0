using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Snapshots;

/// <summary>Snapshots (engine commits) through the real HTTP stack on the real engines.</summary>
public sealed class SnapshotTests
{
    [Theory(Timeout = 300_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Snapshot_then_create_from_it_restore_to_it_and_delete_it_on_each_engine(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var source = await CreateAsync(tenant, ServerHarness.Sandbox("source"));
        await ExecAsync(tenant, source, "echo v1 > /tmp/state");

        var snapshot = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{source}/snapshots", new { name = "v1" }, Ct), 201);
        var id = snapshot["id"]!.GetValue<string>();
        snapshot["name"]!.GetValue<string>().ShouldBe("v1");
        snapshot["sandboxId"]!.GetValue<string>().ShouldBe(source);
        snapshot["state"]!.GetValue<string>().ShouldBe("ready");
        snapshot["createdAt"].ShouldNotBeNull();
        var image = await server.Engine.Images.InspectAsync(snapshot["image"]!.GetValue<string>(), Ct);
        image.Config!.Labels!["io.airlock.tenant"].ShouldBe("acme");
        image.Config.Labels["io.airlock.snapshot"].ShouldBe(id);
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/snapshots/{id}", Ct), 200))["name"]!.GetValue<string>().ShouldBe("v1");
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/snapshots", Ct), 200))["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ShouldBe([id]);

        // Restore: the same sandbox id, a new container from the snapshot, the files as they were.
        await ExecAsync(tenant, source, "echo v2 > /tmp/state");
        var restored = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{source}/restore", new { snapshot = id }, Ct), 200);
        restored["id"]!.GetValue<string>().ShouldBe(source);
        restored["state"]!.GetValue<string>().ShouldBe("running");
        (await ExecAsync(tenant, source, "cat /tmp/state")).ShouldBe("v1\n");

        // A new sandbox from the snapshot instead of an image.
        var copy = await CreateAsync(tenant, new { name = "copy", snapshot = id, command = new[] { "sleep", "infinity" }, limits = new { cpus = 0.25, memoryBytes = 64L << 20 } });
        (await ExecAsync(tenant, copy, "cat /tmp/state")).ShouldBe("v1\n");

        (await Expect.ProblemAsync(await tenant.Operator.DeleteAsync($"/v1/snapshots/{id}", Ct), 409))["detail"]!.GetValue<string>().ShouldContain("in use");
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{copy}", Ct), 204);
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{source}", Ct), 204);
        (await Expect.ProblemAsync(await server.Admin.DeleteAsync("/v1/tenants/acme", Ct), 409))["detail"]!.GetValue<string>().ShouldContain("still has snapshots");
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/snapshots/{id}", Ct), 204);
        (await server.Engine.Images.TryInspectAsync(snapshot["image"]!.GetValue<string>(), Ct)).ShouldBeNull();
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/snapshots/{id}", Ct), 404);
    }

    [Theory(Timeout = 300_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Snapshots_are_validated_limited_paged_and_invisible_to_other_tenants(string store)
    {
        await using var server = await ServerHarness.StartAsync(store, TestEngines.Docker, configure: o => o with { MaxSnapshotsPerTenant = 3 });
        var acme = await server.NewTenantAsync("acme");
        var other = await server.NewTenantAsync("other");
        var sandbox = await CreateAsync(acme, ServerHarness.Sandbox("box"));
        var theirs = await CreateAsync(other, ServerHarness.Sandbox("theirs"));

        var bad = await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/snapshots", new { name = "Not_A_Name" }, Ct), 400);
        bad["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("snapshot.name");
        await Expect.ProblemAsync(await acme.Viewer.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/snapshots", new { name = "viewer" }, Ct), 403);

        var ids = new List<string> { await SnapshotAsync(acme, sandbox, "s1"), await SnapshotAsync(acme, sandbox, "s2") };
        (await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/snapshots", new { name = "s1" }, Ct), 409))["detail"]!.GetValue<string>().ShouldContain("already exists");
        ids.Add(await SnapshotAsync(acme, sandbox, "s3"));
        (await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/snapshots", new { name = "s4" }, Ct), 409))["detail"]!.GetValue<string>().ShouldContain("limit is 3");

        var first = await Expect.JsonAsync(await acme.Viewer.GetAsync("/v1/snapshots?limit=2", Ct), 200);
        var second = await Expect.JsonAsync(await acme.Viewer.GetAsync($"/v1/snapshots?limit=2&pageToken={first["nextPageToken"]!.GetValue<string>()}", Ct), 200);
        Ids(first).Concat(Ids(second)).ShouldBe(ids);
        second["nextPageToken"].ShouldBeNull();

        // Another tenant: a 404 on every route, even with the exact id.
        var id = ids[0];
        Ids(await Expect.JsonAsync(await other.Viewer.GetAsync("/v1/snapshots", Ct), 200)).ShouldBeEmpty();
        await Expect.ProblemAsync(await other.Viewer.GetAsync($"/v1/snapshots/{id}", Ct), 404);
        await Expect.ProblemAsync(await other.Operator.DeleteAsync($"/v1/snapshots/{id}", Ct), 404);
        await Expect.ProblemAsync(await other.Operator.PostAsJsonAsync($"/v1/sandboxes/{theirs}/restore", new { snapshot = id }, Ct), 404);
        await Expect.ProblemAsync(await other.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "stolen", snapshot = id }, Ct), 404);
        await Expect.ProblemAsync(await other.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/snapshots", new { name = "peek" }, Ct), 404);
        await Expect.ProblemAsync(await other.Operator.PostAsync($"/v1/sandboxes/{sandbox}/checkpoints", null, Ct), 404);
        (await server.ContainerNamesAsync()).Count.ShouldBe(2);

        // Memory checkpoints are refused for what they are, not faked.
        var checkpoint = await Expect.ProblemAsync(await acme.Operator.PostAsync($"/v1/sandboxes/{sandbox}/checkpoints", null, Ct), 501);
        checkpoint["detail"]!.GetValue<string>().ShouldContain("CRIU");

        // Bad restore and create bodies name the field.
        (await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/restore", new { snapshot = "nope" }, Ct), 400))["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("restore.snapshot");
        (await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "both", snapshot = id, image = TestEngines.BaseImage }, Ct), 400))["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("sandbox.snapshot");

        // Snapshot calls are audited like every other change.
        var audit = await Expect.JsonAsync(await acme.Admin.GetAsync("/v1/audit?limit=200", Ct), 200);
        audit["entries"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "POST /v1/sandboxes/{id}/snapshots").ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_restore_that_fails_half_way_leaves_the_sandbox_lost_saying_why_and_it_can_still_be_deleted()
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, TestEngines.Docker);
        var tenant = await server.NewTenantAsync("acme");
        var sandbox = await CreateAsync(tenant, ServerHarness.Sandbox("box"));
        var snapshot = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/snapshots", new { name = "s" }, Ct), 201);

        // The image goes behind the API's back: the old container is already replaced when the new one cannot be made.
        await server.Engine.Images.RemoveAsync(snapshot["image"]!.GetValue<string>(), force: true, Ct);
        var refused = await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/restore", new { snapshot = snapshot["id"]!.GetValue<string>() }, Ct);
        ((int)refused.StatusCode).ShouldBeInRange(400, 599);

        var lost = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{sandbox}", Ct), 200);
        lost["state"]!.GetValue<string>().ShouldBe("lost");
        lost["error"]!.GetValue<string>().ShouldContain("restore again or delete");
        (await server.Engine.Containers.TryInspectAsync("airlock-" + sandbox, Ct)).ShouldBeNull();
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{sandbox}", Ct), 204);
    }

    private static IEnumerable<string> Ids(JsonNode page) => page["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>());

    private static async Task<string> CreateAsync(TestTenant tenant, object body) =>
        (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", body, Ct), 201))["id"]!.GetValue<string>();

    private static async Task<string> SnapshotAsync(TestTenant tenant, string sandbox, string name) =>
        (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/snapshots", new { name }, Ct), 201))["id"]!.GetValue<string>();

    private static async Task<string> ExecAsync(TestTenant tenant, string sandbox, string script)
    {
        var result = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/exec", new { command = new[] { "sh", "-c", script } }, Ct), 200);
        result["exitCode"]!.GetValue<int>().ShouldBe(0, result["stderr"]!.GetValue<string>());
        return result["stdout"]!.GetValue<string>();
    }
}
