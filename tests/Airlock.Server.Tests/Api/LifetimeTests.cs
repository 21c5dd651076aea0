using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Breaches;
using Airlock.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Tests.Api;

/// <summary>
/// Issue 14, item 3: a sandbox's lifetime (a timeout that stops or deletes it, extended by the API; an idle timeout),
/// pause and resume with the engine's freezer, and a timeout that still fires after the server is restarted.
/// </summary>
public sealed class LifetimeTests
{
    private static object Box(string name, object lifetime) => Merge(ServerHarness.Sandbox(name), lifetime);

    private static JsonObject Merge(object body, object extra)
    {
        var merged = System.Text.Json.JsonSerializer.SerializeToNode(body, Expect.Web)!.AsObject();
        foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(extra, Expect.Web)!.AsObject())
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static async Task<JsonNode> GetAsync(TestTenant tenant, string id) =>
        await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200);

    private static Task<JsonNode> StateAsync(TestTenant tenant, string id, string state) =>
        Poll.UntilAsync(() => GetAsync(tenant, id), s => s["state"]!.GetValue<string>() == state, $"sandbox {id} to be {state}");

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.WithEachEngine), MemberType = typeof(Stores))]
    public async Task Pause_freezes_the_sandbox_and_resume_goes_on_from_where_it_was(string engine, string store)
    {
        await using var server = await ServerHarness.StartAsync(store, engine);
        var tenant = await server.NewTenantAsync("acme");
        // The count is renamed into place, so a read never sees a file half written; one line: "COUNT STARTTIME".
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox(
            "counter", "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /tmp/c; mv /tmp/c /tmp/count; sleep 0.05; done"));
        const string read = "echo \"$(cat /tmp/count) $(cut -d' ' -f22 /proc/1/stat)\"";
        var before = (await Poll.UntilAsync(() => TenantCalls.ExecAsync(tenant, id, read), s => int.TryParse(s.Split(' ')[0], out var n) && n > 10, "the counter to count")).Trim();

        var paused = await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/pause", null, Ct), 200);
        paused["state"]!.GetValue<string>().ShouldBe("paused");
        (await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" } }, Ct), 409))
            ["detail"]!.GetValue<string>().ShouldContain("paused");
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes?state=paused", Ct), 200))["items"]!.AsArray().Count.ShouldBe(1);

        var resumed = await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/resume", null, Ct), 200);
        resumed["state"]!.GetValue<string>().ShouldBe("running");
        var after = (await TenantCalls.ExecAsync(tenant, id, read)).Trim();

        // The same process (same start time), its count carried on from where it was: its memory was kept.
        after.Split(' ')[1].ShouldBe(before.Split(' ')[1]);
        int.Parse(after.Split(' ')[0]).ShouldBeGreaterThanOrEqualTo(int.Parse(before.Split(' ')[0]));

        // A paused sandbox can be stopped (thawed first) and deleted.
        await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/pause", null, Ct), 200);
        (await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/stop", null, Ct), 200))["state"]!.GetValue<string>().ShouldBe("stopped");
        (await Expect.ProblemAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/pause", null, Ct), 409))["detail"]!.GetValue<string>().ShouldContain("stopped");
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.WithEachEngine), MemberType = typeof(Stores))]
    public async Task A_timeout_stops_the_sandbox_or_deletes_it_as_asked(string engine, string store)
    {
        await using var server = await ServerHarness.StartAsync(store, engine);
        var tenant = await server.NewTenantAsync("acme");
        var stopping = await TenantCalls.CreateAsync(tenant, Box("stopping", new { timeoutSeconds = 2 }));
        var deleting = await TenantCalls.CreateAsync(tenant, Box("deleting", new { timeoutSeconds = 2, onTimeout = "delete" }));
        var view = await GetAsync(tenant, stopping);
        view["onTimeout"]!.GetValue<string>().ShouldBe("stop");
        view["expiresAt"].ShouldNotBeNull();

        var stopped = await StateAsync(tenant, stopping, "stopped");
        stopped["error"]!.GetValue<string>().ShouldContain("timeout");
        stopped["expiresAt"].ShouldBeNull("a sandbox its timeout stopped lives on when started again");
        await Poll.UntilAsync(async () => (int)(await tenant.Viewer.GetAsync($"/v1/sandboxes/{deleting}", Ct)).StatusCode, s => s == 404, "the deleting sandbox to be gone");
        (await server.ContainerNamesAsync()).ShouldBe(["airlock-" + stopping]);

        // Started again, it runs until told otherwise.
        (await Expect.JsonAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{stopping}/start", null, Ct), 200))["state"]!.GetValue<string>().ShouldBe("running");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_timeout_extended_through_the_api_and_an_idle_timeout_reset_by_use_hold_until_they_pass(string engine)
    {
        var time = new ShiftableTime();
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine, time: time);
        var tenant = await server.NewTenantAsync("acme");
        var extended = await TenantCalls.CreateAsync(tenant, Box("extended", new { timeoutSeconds = 60 }));
        var idle = await TenantCalls.CreateAsync(tenant, Box("idle", new { idleTimeoutSeconds = 100 }));
        var view = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{extended}/timeout", new { timeoutSeconds = 3600 }, Ct), 200);
        view["expiresAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(time.GetUtcNow().AddMinutes(59));

        // A control sandbox due at the same moment shows when a pass has run: then the others must still run.
        time.Advance(TimeSpan.FromSeconds(70));
        await TenantCalls.ExecAsync(tenant, idle, "true");
        var control = await TenantCalls.CreateAsync(tenant, Box("control-1", new { timeoutSeconds = 1 }));
        await StateAsync(tenant, control, "stopped");
        (await GetAsync(tenant, extended))["state"]!.GetValue<string>().ShouldBe("running", "its timeout was moved an hour on");

        time.Advance(TimeSpan.FromSeconds(70));
        var control2 = await TenantCalls.CreateAsync(tenant, Box("control-2", new { timeoutSeconds = 1 }));
        await StateAsync(tenant, control2, "stopped");
        (await GetAsync(tenant, idle))["state"]!.GetValue<string>().ShouldBe("running", "it was used 70 s ago, under its 100 s idle timeout");

        time.Advance(TimeSpan.FromSeconds(40));
        (await StateAsync(tenant, idle, "stopped"))["error"]!.GetValue<string>().ShouldContain("idle");
        time.Advance(TimeSpan.FromHours(1));
        await StateAsync(tenant, extended, "stopped");
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(Stores.WithEachEngine), MemberType = typeof(Stores))]
    public async Task A_timeout_set_before_a_restart_fires_in_the_server_started_after_it(string engine, string store)
    {
        await using var server = await ServerHarness.StartAsync(store, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, Box("kept", new { timeoutSeconds = 3600, onTimeout = "delete" }));
        await server.Server.DisposeAsync();

        // The server comes back two hours later (its clock moved on): nothing in memory knew of the timeout.
        var later = new ShiftableTime();
        later.Advance(TimeSpan.FromHours(2));
        await using var again = await AirlockServer.StartAsync(
            server.Options with { Listen = "http://127.0.0.1:0", Time = later },
            logging => logging.AddFilter(_ => false),
            Ct);
        using var client = new HttpClient { BaseAddress = again.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Keys["viewer"]);
        await Poll.UntilAsync(async () => (int)(await client.GetAsync($"/v1/sandboxes/{id}", Ct)).StatusCode, s => s == 404, "the sandbox to be deleted by the new server");
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Bad_lifetimes_are_refused_naming_the_field(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", Box("a", new { timeoutSeconds = 0 }), Ct), "sandbox.timeoutSeconds");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", Box("b", new { idleTimeoutSeconds = 99_999_999 }), Ct), "sandbox.idleTimeoutSeconds");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", Box("c", new { timeoutSeconds = 5, onTimeout = "explode" }), Ct), "sandbox.onTimeout");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", Box("d", new { onTimeout = "delete" }), Ct), "sandbox.onTimeout");
        (await server.ContainerNamesAsync()).ShouldBeEmpty();

        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("e"));
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/timeout", new { }, Ct), "timeout.timeoutSeconds");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/timeout", new { timeoutSeconds = -1 }, Ct), "timeout.timeoutSeconds");
        await Expect.ProblemAsync(await tenant.Viewer.PostAsync($"/v1/sandboxes/{id}/pause", null, Ct), 403);
        await Expect.StatusAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/stop", null, Ct), 200);
        (await Expect.ProblemAsync(await tenant.Operator.PostAsync($"/v1/sandboxes/{id}/resume", null, Ct), 409))["detail"]!.GetValue<string>().ShouldContain("paused");
    }
}
