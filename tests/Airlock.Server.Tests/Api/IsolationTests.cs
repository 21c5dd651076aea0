using System.Net.Http.Json;
using System.Reflection;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;
using Airlock.Server.Errors;
using Airlock.Server.Nodes;
using Airlock.Server.Store;
using Airlock.Server.Tests.Infrastructure;
using Airlock.Tests.Support;

namespace Airlock.Server.Tests.Api;

/// <summary>Isolation levels through the API: chosen per sandbox, stored with it, bounded by the tenant's policy and by what the node runs.</summary>
public sealed class IsolationTests
{
    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_gvisor_sandbox_runs_on_gvisors_kernel_and_keeps_its_level_through_a_restore(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");

        var created = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxAt("guarded", "gvisor"), Ct), 201);
        var id = created["id"]!.GetValue<string>();
        created["isolation"]!.GetValue<string>().ShouldBe("gvisor");
        (await ProcVersionAsync(tenant, id)).ShouldStartWith("Linux version 4.4.0");

        var snapshot = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/snapshots", new { name = "v1" }, Ct), 201);
        var restored = await Expect.JsonAsync(
            await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/restore", new { snapshot = snapshot["id"]!.GetValue<string>() }, Ct), 200);
        restored["isolation"]!.GetValue<string>().ShouldBe("gvisor");
        (await ProcVersionAsync(tenant, id)).ShouldStartWith("Linux version 4.4.0");

        // A sandbox that names no level is an ordinary container: the host's kernel answers.
        var plain = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("plain"), Ct), 201);
        plain["isolation"]!.GetValue<string>().ShouldBe("container");
        Engines.IsGvisorKernel(await ProcVersionAsync(tenant, plain["id"]!.GetValue<string>())).ShouldBeFalse();
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200))["isolation"]!.GetValue<string>().ShouldBe("gvisor");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_level_is_a_400_naming_the_field_and_the_levels()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");

        var problem = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxAt("vm", "firecracker"), Ct), 400);
        var detail = problem["detail"]!.GetValue<string>();
        detail.ShouldContain("sandbox.isolation");
        detail.ShouldContain("container, gvisor");
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_tenant_forced_onto_gvisor_gets_it_without_asking_and_is_refused_a_container(string store)
    {
        await using var server = await ServerHarness.StartAsync(store, TestEngines.Podman);
        var tenant = await server.NewTenantAsync("acme");
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme/isolation", Ct), 200))["isolation"]!["default"]!.GetValue<string>().ShouldBe("container");

        // Only the system admin sets the policy; allowing only gvisor makes it the default too.
        await Expect.ProblemAsync(await tenant.Admin.PutAsJsonAsync("/v1/tenants/acme/isolation", new { allowed = new[] { "gvisor" } }, Ct), 403);
        var policy = await Expect.JsonAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/isolation", new { allowed = new[] { "gvisor" } }, Ct), 200);
        policy["isolation"]!["allowed"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(["gvisor"]);
        policy["isolation"]!["default"]!.GetValue<string>().ShouldBe("gvisor");

        var created = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("unasked"), Ct), 201);
        created["isolation"]!.GetValue<string>().ShouldBe("gvisor");
        (await ProcVersionAsync(tenant, created["id"]!.GetValue<string>())).ShouldStartWith("Linux version 4.4.0");

        var refused = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxAt("escape", "container"), Ct), 403);
        refused["detail"]!.GetValue<string>().ShouldContain("sandbox.isolation");
        refused["detail"]!.GetValue<string>().ShouldContain("may use gvisor");

        // The policy is stored: a new server on the same database reads it back.
        var stored = (await new TenantStore(server.Database.Database, TimeProvider.System).GetAsync("acme", Ct))!.Isolation;
        stored.Allowed.ShouldBe([IsolationLevel.Gvisor]);
        stored.Default.ShouldBe(IsolationLevel.Gvisor);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_policy_is_checked_when_it_is_set()
    {
        await using var server = await ServerHarness.StartAsync();
        var created = await Expect.JsonAsync(
            await server.Admin.PostAsJsonAsync("/v1/tenants", new { id = "strict", isolation = new { allowed = new[] { "container", "gvisor" }, @default = "gvisor" } }, Ct), 201);
        created["isolation"]!["default"]!.GetValue<string>().ShouldBe("gvisor");

        var unknown = await Expect.ProblemAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/strict/isolation", new { allowed = new[] { "vm" } }, Ct), 400);
        unknown["detail"]!.GetValue<string>().ShouldContain("isolation.allowed");
        unknown["detail"]!.GetValue<string>().ShouldContain("container, gvisor");
        var outside = await Expect.ProblemAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/strict/isolation", new { allowed = new[] { "container" }, @default = "gvisor" }, Ct), 400);
        outside["detail"]!.GetValue<string>().ShouldContain("isolation.default");
        await Expect.ProblemAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/strict/isolation", new { allowed = Array.Empty<string>() }, Ct), 400);
    }

    [Fact]
    public async Task A_level_whose_runtime_the_node_lacks_is_a_409_naming_the_level_the_node_and_the_fix()
    {
        var runtimes = new EngineRuntimes(["crun", "runc"], "crun");
        var node = RuntimeAnswering(runtimes);
        var isolation = new NodeIsolation(TimeProvider.System);

        await isolation.EnsureAsync("edge-1", node, IsolationLevel.Container, "sandbox.isolation", Ct);
        var refused = await Should.ThrowAsync<ApiException>(() => isolation.EnsureAsync("edge-1", node, IsolationLevel.Gvisor, "sandbox.isolation", Ct));
        refused.Status.ShouldBe(409);
        refused.Message.ShouldContain("sandbox.isolation");
        refused.Message.ShouldContain("'gvisor'");
        refused.Message.ShouldContain("'edge-1'");
        refused.Message.ShouldContain("scripts/setup-gvisor.sh");

        // The answer is kept per node: another node is asked on its own.
        await isolation.EnsureAsync("edge-2", RuntimeAnswering(new EngineRuntimes(["airlock-runsc", "airlock-runsc-loopback", "runc"], "runc")), IsolationLevel.Gvisor, "sandbox.isolation", Ct);
        // A node set up before the loopback runtime existed cannot run gvisor sandboxes without a network: refused too.
        var half = await Should.ThrowAsync<ApiException>(() => isolation.EnsureAsync(
            "edge-3", RuntimeAnswering(new EngineRuntimes(["airlock-runsc", "runc"], "runc")), IsolationLevel.Gvisor, "sandbox.isolation", Ct));
        half.Message.ShouldContain("'airlock-runsc-loopback'");
    }

    private static async Task<string> ProcVersionAsync(TestTenant tenant, string id) =>
        (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "cat", "/proc/version" } }, Ct), 200))
            ["stdout"]!.GetValue<string>();

    /// <summary>A runtime that only lists its OCI runtimes (anything else throws).</summary>
    private static ISandboxRuntime RuntimeAnswering(EngineRuntimes runtimes)
    {
        var proxy = DispatchProxy.Create<ISandboxRuntime, OciRuntimesOnly>();
        ((OciRuntimesOnly)(object)proxy).Runtimes = runtimes;
        return proxy;
    }

    public class OciRuntimesOnly : DispatchProxy
    {
        public EngineRuntimes Runtimes { get; set; } = new([], null);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(ISandboxRuntime.OciRuntimesAsync) ? Task.FromResult(Runtimes) : throw new NotSupportedException(targetMethod?.Name);
    }
}
