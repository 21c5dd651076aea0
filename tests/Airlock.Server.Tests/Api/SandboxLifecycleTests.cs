using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;
using Airlock.Tests.Support;

namespace Airlock.Server.Tests.Api;

/// <summary>Sandboxes through the real HTTP stack on the real engines.</summary>
public sealed class SandboxLifecycleTests
{
    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.AtEveryLevel), MemberType = typeof(TestEngines))]
    public async Task Create_exec_logs_stop_start_delete_on_each_engine_at_each_level(string engine, string isolation)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");

        var created = await Expect.JsonAsync(
            await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxAt("web", isolation, "sh", "-c", "echo hello from the sandbox; exec sleep infinity"), Ct), 201);
        var id = created["id"]!.GetValue<string>();
        created["state"]!.GetValue<string>().ShouldBe("running");
        created["tenant"]!.GetValue<string>().ShouldBe("acme");
        created["isolation"]!.GetValue<string>().ShouldBe(isolation);

        // The container exists, is labelled with tenant and id, and carries the shared core's hardening.
        var container = await server.Engine.Containers.InspectAsync("airlock-" + id, Ct);
        container.Config.Labels!["io.airlock.tenant"].ShouldBe("acme");
        container.Config.Labels["io.airlock.sandbox"].ShouldBe(id);
        // no-new-privileges asked of the kernel itself (prctl PR_GET_NO_NEW_PRIVS, syscall 157 option 39): gVisor's
        // /proc/self/status has no NoNewPrivs line, so the same question is asked at both levels.
        var status = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new
        {
            command = new[] { "sh", "-c", "grep ^CapEff /proc/self/status; perl -e 'print \"nnp=\", syscall(157, 39, 0, 0, 0, 0), \"\\n\"'" },
        }, Ct), 200);
        status["stdout"]!.GetValue<string>().ShouldContain("CapEff:\t0000000000000000");
        status["stdout"]!.GetValue<string>().ShouldContain("nnp=1");
        var kernel = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "cat", "/proc/version" } }, Ct), 200);
        Engines.IsGvisorKernel(kernel["stdout"]!.GetValue<string>()).ShouldBe(isolation == "gvisor", kernel["stdout"]!.GetValue<string>());

        var exec = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "sh", "-c", "read x; echo out:$x; echo err >&2; exit 7" }, stdin = "fed\n" }, Ct), 200);
        exec["exitCode"]!.GetValue<int>().ShouldBe(7);
        exec["stdout"]!.GetValue<string>().ShouldBe("out:fed\n");
        exec["stderr"]!.GetValue<string>().ShouldBe("err\n");

        var logs = await tenant.Viewer.GetStringAsync($"/v1/sandboxes/{id}/logs", Ct);
        logs.ShouldContain("hello from the sandbox");

        var stopped = await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/stop", null, Ct), 200);
        stopped["state"]!.GetValue<string>().ShouldBe("stopped");
        (await server.Engine.Containers.InspectAsync("airlock-" + id, Ct)).State.Running.ShouldBeFalse();
        (await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" } }, Ct), 409))
            ["detail"]!.GetValue<string>().ShouldContain("stopped");

        var started = await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/start", null, Ct), 200);
        started["state"]!.GetValue<string>().ShouldBe("running");
        started["isolation"]!.GetValue<string>().ShouldBe(isolation);
        (await server.Engine.Containers.InspectAsync("airlock-" + id, Ct)).State.Running.ShouldBeTrue();

        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        (await server.Engine.Containers.TryInspectAsync("airlock-" + id, Ct)).ShouldBeNull();
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 404);
        var usage = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme", Ct), 200);
        usage["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact(Timeout = 120_000)]
    public async Task Logs_follow_streams_until_the_sandbox_ends()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var created = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync(
            "/v1/sandboxes", ServerHarness.Sandbox("counter", "sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done"), Ct), 201);
        var id = created["id"]!.GetValue<string>();

        // follow=true ends by itself when the process exits; the whole output arrives in one streamed answer.
        using var response = await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, Ct);
        await Expect.StatusAsync(response, 200);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync(Ct);
        text.ShouldBe("line1\nline2\nline3\n");
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_create_the_engine_refuses_leaves_no_row_no_container_and_no_reservation(string store)
    {
        // Allowed, so the create gets as far as the engine, which does not have it.
        await using var server = await ServerHarness.StartAsync(store, configure: o => o with { AllowedImages = [TestEngines.BaseImage, "localhost/airlock-no-such-image"] });
        var tenant = await server.NewTenantAsync("acme");

        var response = await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "ghost", image = "localhost/airlock-no-such-image:never" }, Ct);

        var problem = await Expect.ProblemAsync(response, 400);
        problem["detail"]!.GetValue<string>().ShouldContain("airlock-no-such-image");
        var list = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
        list["items"]!.AsArray().ShouldBeEmpty();
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme", Ct), 200))["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(0);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_sandbox_whose_process_ends_is_seen_as_exited_with_its_exit_code(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var created = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("short", "sh", "-c", "echo done; exit 42"), Ct), 201);
        var id = created["id"]!.GetValue<string>();

        // Following the log ends when the process has ended: the real signal to look again.
        (await tenant.Viewer.GetStringAsync($"/v1/sandboxes/{id}/logs?follow=true", Ct)).ShouldBe("done\n");
        await server.Engine.Containers.WaitAsync("airlock-" + id, Ct);

        var seen = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200);
        seen["state"]!.GetValue<string>().ShouldBe("exited");
        seen["exitCode"]!.GetValue<int>().ShouldBe(42);
        var restarted = await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/start", null, Ct), 200);
        restarted["state"]!.GetValue<string>().ShouldBe("running");
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sandbox_has_no_network_unless_it_asks_for_one()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var offline = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("offline"), Ct), 201))["id"]!.GetValue<string>();
        var bridged = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new
        {
            name = "bridged",
            image = TestEngines.BaseImage,
            command = new[] { "sleep", "infinity" },
            network = "bridge",
            limits = new { cpus = 0.1, memoryBytes = 32L << 20 },
        }, Ct), 201))["id"]!.GetValue<string>();

        async Task<string> InterfacesAsync(string id) =>
            (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "ls", "/sys/class/net" } }, Ct), 200))["stdout"]!.GetValue<string>();

        (await InterfacesAsync(offline)).Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["lo"]);
        (await InterfacesAsync(bridged)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeGreaterThan(1);
    }

    [Fact(Timeout = 180_000)]
    public async Task Bulk_create_and_bulk_delete_report_each_item()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme", maxSandboxes: 3);

        var bulk = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes/bulk-create", new
        {
            sandboxes = new[] { ServerHarness.Sandbox("b1"), ServerHarness.Sandbox("b2"), ServerHarness.Sandbox("Bad Name"), ServerHarness.Sandbox("b3"), ServerHarness.Sandbox("b4") },
        }, Ct), 200);

        var results = bulk["results"]!.AsArray();
        results[2]!["status"]!.GetValue<int>().ShouldBe(400);
        results.Count(r => r!["status"]!.GetValue<int>() == 201).ShouldBe(3);
        results.Count(r => r!["status"]!.GetValue<int>() == 409).ShouldBe(1);
        (await server.ContainerNamesAsync()).Count.ShouldBe(3);

        var ids = results.Where(r => r!["status"]!.GetValue<int>() == 201).Select(r => r!["id"]!.GetValue<string>()).Append("sb000000000000000000000000").ToArray();
        var deleted = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes/bulk-delete", new { ids }, Ct), 200);
        deleted["succeeded"]!.GetValue<int>().ShouldBe(3);
        deleted["results"]!.AsArray()[3]!["status"]!.GetValue<int>().ShouldBe(404);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task Listing_pages_with_tokens_and_filters_by_label()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        foreach (var (name, team) in new[] { ("l1", "red"), ("l2", "blue"), ("l3", "red") })
        {
            await Expect.StatusAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new
            {
                name,
                image = TestEngines.BaseImage,
                command = new[] { "sleep", "infinity" },
                labels = new Dictionary<string, string> { ["team"] = team },
                limits = new { cpus = 0.1, memoryBytes = 32L << 20 },
            }, Ct), 201);
        }

        var first = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes?limit=2", Ct), 200);
        first["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ShouldBe(["l1", "l2"]);
        var token = first["nextPageToken"]!.GetValue<string>();
        var second = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes?limit=2&pageToken={token}", Ct), 200);
        second["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ShouldBe(["l3"]);
        second["nextPageToken"].ShouldBeNull();

        var red = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes?label=team=red&state=running", Ct), 200);
        red["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ShouldBe(["l1", "l3"]);
    }
}
