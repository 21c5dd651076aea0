using System.Net.Http.Json;
using Airlock.Sandboxes.Runtime;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Airlock.Server.Tenants;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Reconciliation;

/// <summary>
/// The one "running -> ended" transition that the API (reading a sandbox) and the reconciler (a pass or an engine
/// event) both record through: the same state, exit code and reason whoever sees the end first, written once.
/// </summary>
public sealed class SandboxEndingTests
{
    private static SandboxInfo Sandbox(bool running, int exitCode = 0, bool oomKilled = false) =>
        new("c1", "airlock-s", "img", running, running ? "running" : "exited", exitCode, oomKilled, new SandboxOwner(), new Dictionary<string, string>(), null, null, null);

    private static SandboxInfo Stopped(int exitCode, bool oomKilled = false) => Sandbox(running: false, exitCode, oomKilled);

    private static async Task<(SandboxStore Store, string Id)> RunningSandboxAsync(TestDatabase db)
    {
        await new TenantStore(db.Database, TimeProvider.System).CreateAsync("t", "t", "standard", TenantQuota.Default, Ct);
        var store = new SandboxStore(db.Database, TimeProvider.System);
        var row = await store.InsertCreatingAsync(SandboxIds.New(TimeProvider.System), "t", "s", "img", "{}", "local", 100, 100, new Dictionary<string, string>(), Ct);
        (await store.SetStateAsync("t", row.Id, SandboxState.Running, containerId: "c1", ct: Ct)).ShouldBeTrue();
        return (store, row.Id);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_running_sandbox_killed_for_memory_becomes_exited_with_the_one_reason_once(string storeKind)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(storeKind);
        var (store, id) = await RunningSandboxAsync(db);

        var first = await SandboxEnding.RecordAsync(store, "t", id, Stopped(137, oomKilled: true), Ct);
        var second = await SandboxEnding.RecordAsync(store, "t", id, null, Ct);

        first.ShouldBe(SandboxState.Exited);
        second.ShouldBeNull("the row is no longer running, so a later observer changes nothing");
        var row = (await store.GetAsync("t", id, Ct)).ShouldNotBeNull();
        (row.State, row.ExitCode, row.Error).ShouldBe((SandboxState.Exited, 137, SandboxExit.OutOfMemory));
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_running_sandbox_whose_container_is_gone_becomes_lost(string storeKind)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(storeKind);
        var (store, id) = await RunningSandboxAsync(db);

        (await SandboxEnding.RecordAsync(store, "t", id, null, Ct)).ShouldBe(SandboxState.Lost);

        var row = (await store.GetAsync("t", id, Ct)).ShouldNotBeNull();
        (row.State, row.ExitCode, row.Error).ShouldBe((SandboxState.Lost, (int?)null, SandboxService.LostMessage));
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_sandbox_that_still_runs_or_was_stopped_meanwhile_is_left_alone(string storeKind)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(storeKind);
        var (store, id) = await RunningSandboxAsync(db);

        (await SandboxEnding.RecordAsync(store, "t", id, Sandbox(running: true), Ct)).ShouldBeNull();
        (await store.GetAsync("t", id, Ct))!.State.ShouldBe(SandboxState.Running);
        await store.SetStateAsync("t", id, SandboxState.Stopped, [SandboxState.Running], exitCode: 143, ct: Ct);
        (await SandboxEnding.RecordAsync(store, "t", id, Stopped(143), Ct)).ShouldBeNull();
        (await store.GetAsync("t", id, Ct))!.State.ShouldBe(SandboxState.Stopped);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_sandbox_killed_for_memory_reads_exited_137_with_the_engines_own_verdict(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        // tail keeps its whole (newline-free) input in memory: 200 MiB against a 16 MiB limit.
        var request = new
        {
            name = "hog",
            image = TestEngines.BaseImage,
            command = new[] { "sh", "-c", "head -c 200m /dev/zero | tail >/dev/null" },
            limits = new { cpus = 0.25, memoryBytes = 16L * 1024 * 1024 },
        };
        var id = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", request, Ct), 201))["id"]!.GetValue<string>();

        var sandbox = await ReconcilerTests.WaitForStateAsync(tenant.Viewer, id, "exited");

        // podman 4.3 sets OOMKilled only when the container's main process is the one killed (here it is the init's
        // child); Docker sets it for any process of the container. Airlock records whatever the engine says, one way.
        var oomKilled = (await server.Engine.Containers.InspectAsync("airlock-" + id, Ct)).State.OOMKilled;
        var error = sandbox["error"]?.GetValue<string>();
        sandbox["exitCode"]!.GetValue<int>().ShouldBe(137);
        error.ShouldBe(oomKilled ? SandboxExit.OutOfMemory : null);
    }
}
