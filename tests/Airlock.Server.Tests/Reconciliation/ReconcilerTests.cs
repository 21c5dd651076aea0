using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Engine.Containers;
using Airlock.Server.Store;
using Airlock.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Airlock.Server.Tests.Reconciliation;

/// <summary>The reconciler against real engines: what happens to sandboxes outside the API shows in the API.</summary>
public sealed class ReconcilerTests
{
    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_sandbox_killed_outside_airlock_shows_as_exited_with_its_exit_code(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("victim"), Ct), 201))["id"]!.GetValue<string>();

        await server.Engine.Containers.KillAsync("airlock-" + id, "KILL", Ct);

        // The engine's die event updates the row; no pass is asked for.
        var sandbox = await WaitForStateAsync(tenant.Viewer, id, "exited");
        sandbox["exitCode"]!.GetValue<int>().ShouldBe(137);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_sandbox_whose_container_was_removed_outside_airlock_is_lost_and_can_still_be_deleted(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("gone"), Ct), 201))["id"]!.GetValue<string>();

        await server.Engine.Containers.RemoveAsync("airlock-" + id, force: true, ct: Ct);
        var report = await Expect.JsonAsync(await server.Admin.PostAsync("/v1/system/reconcile", null, Ct), 200);

        // Either the destroy event or the pass marked it; the pass reports it only when it was first.
        var sandbox = await WaitForStateAsync(tenant.Viewer, id, "lost");
        sandbox["error"]!.GetValue<string>().ShouldContain("removed outside Airlock");
        report["unreachableNodes"]!.AsArray().ShouldBeEmpty();
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme", Ct), 200))["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(1);

        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme", Ct), 200))["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(0);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_pass_removes_orphans_adopts_creates_that_got_through_and_undoes_the_rest(string store)
    {
        await using var server = await ServerHarness.StartAsync(store, TestEngines.Docker);
        var tenant = await server.NewTenantAsync("acme");
        var sandboxes = server.Server.Services.GetRequiredService<SandboxStore>();
        var time = TimeProvider.System;

        // What a crash leaves: a container whose row is gone, a creating row with a running container, and one without.
        var orphan = Airlock.Server.Sandboxes.SandboxIds.New(time);
        await StartContainerAsync(server, orphan);
        var through = Airlock.Server.Sandboxes.SandboxIds.New(time);
        await sandboxes.InsertCreatingAsync(through, "acme", "through", TestEngines.BaseImage, "{}", "local", 250, 64L << 20, new Dictionary<string, string>(), Ct);
        await StartContainerAsync(server, through);
        var cut = Airlock.Server.Sandboxes.SandboxIds.New(time);
        await sandboxes.InsertCreatingAsync(cut, "acme", "cut", TestEngines.BaseImage, "{}", "local", 250, 64L << 20, new Dictionary<string, string>(), Ct);
        var stopped = Airlock.Server.Sandboxes.SandboxIds.New(time);
        await sandboxes.InsertCreatingAsync(stopped, "acme", "stopped-early", TestEngines.BaseImage, "{}", "local", 250, 64L << 20, new Dictionary<string, string>(), Ct);
        await server.Engine.Containers.CreateAsync(ContainerOptions(server, stopped), Ct);

        var report = await Expect.JsonAsync(await server.Admin.PostAsync("/v1/system/reconcile", null, Ct), 200);

        Ids(report, "orphansRemoved").ShouldBe([orphan]);
        Ids(report, "createsAdopted").ShouldBe([through]);
        Ids(report, "createsUndone").ShouldBe([cut, stopped], ignoreOrder: true);
        (await server.Engine.Containers.TryInspectAsync("airlock-" + orphan, Ct)).ShouldBeNull();
        (await server.Engine.Containers.TryInspectAsync("airlock-" + stopped, Ct)).ShouldBeNull();
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{through}", Ct), 200))["state"]!.GetValue<string>().ShouldBe("running");
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{cut}", Ct), 404);
        var usage = (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme", Ct), 200))["usage"]!;
        usage["sandboxes"]!.GetValue<long>().ShouldBe(1);
        usage["memoryBytes"]!.GetValue<long>().ShouldBe(64L << 20);

        // A second pass finds nothing left to do.
        var again = await Expect.JsonAsync(await server.Admin.PostAsync("/v1/system/reconcile", null, Ct), 200);
        again["changes"]!.GetValue<int>().ShouldBe(0);
        var metrics = await server.Admin.GetStringAsync("/metrics", Ct);
        var changes = metrics.Split('\n').Single(l => l.StartsWith("airlock_reconcile_changes_total ", StringComparison.Ordinal));
        long.Parse(changes.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(4);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_pass_removes_snapshot_images_without_a_row_and_snapshots_whose_commit_was_cut_off(string store)
    {
        await using var server = await ServerHarness.StartAsync(store, TestEngines.Docker);
        await server.NewTenantAsync("acme");
        var time = TimeProvider.System;
        var source = await server.Engine.Containers.CreateAsync(ContainerOptions(server, Airlock.Server.Sandboxes.SandboxIds.New(time)), Ct);

        var orphan = Airlock.Server.Snapshots.SnapshotIds.New(time);
        await CommitAsync(server, source, orphan);
        var cut = Airlock.Server.Snapshots.SnapshotIds.New(time);
        await server.Server.Services.GetRequiredService<SnapshotStore>().InsertCreatingAsync(cut, "acme", "cut", "sb0", "local", Airlock.Server.Snapshots.SnapshotIds.ImageFor(cut), 10, Ct);
        await CommitAsync(server, source, cut);
        await server.Engine.Containers.RemoveAsync(source, force: true, ct: Ct);

        var report = await Expect.JsonAsync(await server.Admin.PostAsync("/v1/system/reconcile", null, Ct), 200);

        Ids(report, "snapshotsUndone").ShouldBe([orphan, cut], ignoreOrder: true);
        (await server.Engine.Images.TryInspectAsync(Airlock.Server.Snapshots.SnapshotIds.ImageFor(orphan), Ct)).ShouldBeNull();
        (await server.Engine.Images.TryInspectAsync(Airlock.Server.Snapshots.SnapshotIds.ImageFor(cut), Ct)).ShouldBeNull();
        (await server.Server.Services.GetRequiredService<SnapshotStore>().GetAsync("acme", cut, Ct)).ShouldBeNull();
    }

    private static Task<string> CommitAsync(ServerHarness server, string container, string snapshotId) =>
        server.Engine.Containers.CommitAsync(container, Airlock.Server.Snapshots.SnapshotIds.Repository, snapshotId, new Dictionary<string, string>
        {
            ["io.airlock.server"] = server.Server.ServerId,
            ["io.airlock.node"] = "local",
            ["io.airlock.snapshot"] = snapshotId,
            [TestEngines.CaseLabel] = server.CaseId,
        }, ct: Ct);

    [Fact(Timeout = 60_000)]
    public async Task Only_a_system_admin_may_ask_for_a_pass()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        await Expect.ProblemAsync(await tenant.Admin.PostAsync("/v1/system/reconcile", null, Ct), 403);
    }

    private static string[] Ids(JsonNode report, string field) => report[field]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private static ContainerCreateOptions ContainerOptions(ServerHarness server, string id) => new()
    {
        Name = "airlock-" + id,
        Image = TestEngines.BaseImage,
        Command = ["sleep", "infinity"],
        Labels = new Dictionary<string, string>
        {
            ["io.airlock.owner"] = "server",
            ["io.airlock.tenant"] = "acme",
            ["io.airlock.sandbox"] = id,
            ["io.airlock.node"] = "local",
            ["io.airlock.server"] = server.Server.ServerId,
            [TestEngines.RunLabel] = TestEngines.RunId,
            [TestEngines.CaseLabel] = server.CaseId,
        },
    };

    private static async Task StartContainerAsync(ServerHarness server, string id)
    {
        var containerId = await server.Engine.Containers.CreateAsync(ContainerOptions(server, id), Ct);
        await server.Engine.Containers.StartAsync(containerId, Ct);
    }

    /// <summary>Reads the sandbox until it is in <paramref name="state"/>.</summary>
    public static Task<JsonNode> WaitForStateAsync(HttpClient client, string id, string state) =>
        Poll.UntilAsync(
            async () => await Expect.JsonAsync(await client.GetAsync($"/v1/sandboxes/{id}", Ct), 200),
            sandbox => sandbox["state"]!.GetValue<string>() == state,
            $"sandbox {id} to be {state}");
}
