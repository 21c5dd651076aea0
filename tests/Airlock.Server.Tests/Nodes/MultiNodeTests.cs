using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Server.Nodes;
using Airlock.Server.Store;
using Microsoft.Extensions.DependencyInjection;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Nodes;

/// <summary>podman and Docker on this machine as two nodes of one server.</summary>
public sealed class MultiNodeTests
{
    private static Func<ServerOptions, ServerOptions> TwoNodes(PlacementStrategy strategy, double podmanCpus, double dockerCpus) => o => o with
    {
        Nodes =
        [
            new NodeOptions("podman", TestEngines.Endpoint(TestEngines.Podman), (long)(podmanCpus * 1000), 8L << 30),
            new NodeOptions("docker", TestEngines.Endpoint(TestEngines.Docker), (long)(dockerCpus * 1000), 8L << 30),
        ],
        Placement = strategy,
    };

    [Theory(Timeout = 300_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Binpack_fills_the_first_node_then_the_next_and_every_call_reaches_the_sandboxs_own_node(string store)
    {
        await using var server = await ServerHarness.StartAsync(store, TestEngines.Docker, configure: TwoNodes(PlacementStrategy.Binpack, podmanCpus: 0.5, dockerCpus: 1));
        var tenant = await server.NewTenantAsync("acme");

        // 0.25 CPUs each: two fill podman (listed first, then the fuller), the third goes to docker.
        var a = await CreateAsync(tenant, "a");
        var b = await CreateAsync(tenant, "b");
        var c = await CreateAsync(tenant, "c");
        a["node"]!.GetValue<string>().ShouldBe("podman");
        b["node"]!.GetValue<string>().ShouldBe("podman");
        c["node"]!.GetValue<string>().ShouldBe("docker");

        using var podman = await TestEngines.ConnectAsync(TestEngines.Podman);
        using var docker = await TestEngines.ConnectAsync(TestEngines.Docker);
        (await podman.Containers.TryInspectAsync("airlock-" + Id(a), Ct)).ShouldNotBeNull();
        (await docker.Containers.TryInspectAsync("airlock-" + Id(a), Ct)).ShouldBeNull();
        (await docker.Containers.TryInspectAsync("airlock-" + Id(c), Ct)).ShouldNotBeNull();

        // exec, stop, start, logs and delete go to the recorded node.
        foreach (var sandbox in new[] { a, c })
        {
            var exec = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{Id(sandbox)}/exec", new { command = new[] { "echo", "hi" } }, Ct), 200);
            exec["stdout"]!.GetValue<string>().ShouldBe("hi\n");
            (await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{Id(sandbox)}/stop", null, Ct), 200))["state"]!.GetValue<string>().ShouldBe("stopped");
            (await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{Id(sandbox)}/start", null, Ct), 200))["state"]!.GetValue<string>().ShouldBe("running");
        }

        // No node has room for 1 CPU more: 503 naming each node's use.
        var full = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "big", image = TestEngines.BaseImage, limits = new { cpus = 1, memoryBytes = 64L << 20 } }, Ct), 503);
        full["detail"]!.GetValue<string>().ShouldContain("podman: 0.5 of 0.5 CPUs");
        full["detail"]!.GetValue<string>().ShouldContain("docker: 0.25 of 1 CPUs");
        (await podman.Containers.ListAsync([server.CaseFilter], ct: Ct)).Count.ShouldBe(2);
        (await docker.Containers.ListAsync([server.CaseFilter], ct: Ct)).Count.ShouldBe(1);

        // A freed node is used again.
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{Id(a)}", Ct), 204);
        (await podman.Containers.TryInspectAsync("airlock-" + Id(a), Ct)).ShouldBeNull();
        (await CreateAsync(tenant, "d"))["node"]!.GetValue<string>().ShouldBe("podman");
    }

    [Fact(Timeout = 300_000)]
    public async Task Anti_affinity_spreads_a_tenant_and_snapshots_stay_on_their_node()
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, TestEngines.Docker, configure: TwoNodes(PlacementStrategy.Binpack, podmanCpus: 4, dockerCpus: 4));
        var tenant = await server.NewTenantAsync("acme");

        var first = await CreateAsync(tenant, "first");
        var packed = await CreateAsync(tenant, "packed");
        var spread = await CreateAsync(tenant, "spread", antiAffinity: true);
        first["node"]!.GetValue<string>().ShouldBe("podman");
        packed["node"]!.GetValue<string>().ShouldBe("podman");
        spread["node"]!.GetValue<string>().ShouldBe("docker");

        // A snapshot's image is on docker: a sandbox from it is placed there, and a podman sandbox cannot restore to it.
        var snapshot = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{Id(spread)}/snapshots", new { name = "on-docker" }, Ct), 201);
        snapshot["node"]!.GetValue<string>().ShouldBe("docker");
        var fromSnapshot = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new
        {
            name = "from-snapshot",
            snapshot = snapshot["id"]!.GetValue<string>(),
            command = new[] { "sleep", "infinity" },
            limits = new { cpus = 0.25, memoryBytes = 64L << 20 },
        }, Ct), 201);
        fromSnapshot["node"]!.GetValue<string>().ShouldBe("docker");
        var refused = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{Id(first)}/restore", new { snapshot = snapshot["id"]!.GetValue<string>() }, Ct), 409);
        refused["detail"]!.GetValue<string>().ShouldContain("is on node 'docker'");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sandbox_on_a_node_this_server_does_not_serve_is_shown_and_calls_on_it_say_which_node_to_add()
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, TestEngines.Docker);
        var tenant = await server.NewTenantAsync("acme");
        var store = server.Server.Services.GetRequiredService<SandboxStore>();
        var id = Airlock.Server.Sandboxes.SandboxIds.New(TimeProvider.System);
        await store.InsertCreatingAsync(id, "acme", "elsewhere", TestEngines.BaseImage, "{}", "retired", 250, 64L << 20, new Dictionary<string, string>(), Ct);
        await store.SetStateAsync("acme", id, "running", containerId: "0123456789ab", ct: Ct);

        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200))["node"]!.GetValue<string>().ShouldBe("retired");
        var refused = await Expect.ProblemAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 503);
        refused["detail"]!.GetValue<string>().ShouldContain("--node retired=ENDPOINT");
    }

    private static string Id(JsonNode sandbox) => sandbox["id"]!.GetValue<string>();

    private static async Task<JsonNode> CreateAsync(TestTenant tenant, string name, bool? antiAffinity = null) =>
        await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new
        {
            name,
            image = TestEngines.BaseImage,
            command = new[] { "sleep", "infinity" },
            limits = new { cpus = 0.25, memoryBytes = 64L << 20 },
            antiAffinity,
        }, Ct), 201);
}
