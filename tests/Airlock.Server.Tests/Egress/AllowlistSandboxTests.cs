using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Tests.Egress;

/// <summary>
/// An allowlist sandbox of the server, on both engines: it reaches out only through the egress proxy the server hosts for
/// it, which lets through what its network allows and refuses the rest, records every connection (read back paged
/// through the API, by its own tenant only) and takes a widened policy without a restart. Web servers of the test's own
/// on the host's loopback stand in for the internet; being loopback, they need an address rule, which the system admin
/// first puts in the tenant's ceiling.
/// </summary>
public sealed class AllowlistSandboxTests
{
    /// <summary>
    /// A plain HTTP GET through the relay the sandbox runs in front of its command (bash's /dev/tcp: no curl in the base
    /// image), once the relay listens (it starts with the sandbox).
    /// </summary>
    private static string[] Get(int port) =>
    [
        "bash", "-c",
        "for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/3128) 2>/dev/null && break; sleep 0.1; done; "
        + $"exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'GET http://127.0.0.1:{port}/ HTTP/1.1\\r\\nHost: 127.0.0.1:{port}\\r\\n\\r\\n' >&3 && cat <&3",
    ];

    private static async Task<List<JsonNode>> AllRecordsAsync(HttpClient client, string id)
    {
        var all = new List<JsonNode>();
        string? token = null;
        do
        {
            var page = await Expect.JsonAsync(await client.GetAsync($"/v1/sandboxes/{id}/egress?limit=1{(token is null ? "" : "&pageToken=" + token)}", Ct), 200);
            all.AddRange(page["items"]!.AsArray().Select(i => i!));
            token = page["nextPageToken"]?.GetValue<string>();
        }
        while (token is not null);
        return all;
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Only_allowed_destinations_are_reached_records_page_and_a_widened_policy_applies_at_once(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var other = await server.NewTenantAsync("other");
        using var allowed = new TinyHttpServer(IPAddress.Loopback, "allowed-body");
        using var denied = new TinyHttpServer(IPAddress.Loopback, "denied-body");
        await Expect.StatusAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { allow = new[] { "127.0.0.1" }, open = false }, Ct), 200);

        var created = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes",
            ServerHarness.SandboxOn("fenced", new { mode = "allowlist", allow = new[] { $"127.0.0.1:{allowed.Port}" } }), Ct), 201);
        var id = created["id"]!.GetValue<string>();
        created["network"]!.ToJsonString().ShouldBe($$"""{"mode":"allowlist","allow":["127.0.0.1:{{allowed.Port}}"]}""");

        var reached = await ServerHarness.ExecAsync(tenant.Operator, id, Get(allowed.Port));
        var refused = await ServerHarness.ExecAsync(tenant.Operator, id, Get(denied.Port));
        reached.ShouldContain("allowed-body");
        refused.ShouldContain("403 Forbidden");
        refused.ShouldContain($"PUT /v1/sandboxes/{id}/network", Case.Sensitive, "the refusal says how to allow it");
        refused.ShouldNotContain("denied-body");
        (allowed.Requests, denied.Requests).ShouldBe((1, 0));

        // Records are written off the proxy's path: they show up shortly after the connection ends. Each Get's wait for
        // the relay is a connection that never names a destination (host empty); one record a page, in order.
        var records = (await Poll.UntilAsync(() => AllRecordsAsync(tenant.Viewer, id), r => r.Count(n => n["host"]!.GetValue<string>().Length > 0) >= 2, "both requests' records"))
            .Where(r => r["host"]!.GetValue<string>().Length > 0).ToList();
        records.Count.ShouldBe(2);
        records[0]["port"]!.GetValue<int>().ShouldBe(allowed.Port);
        records[0]["verdict"]!.GetValue<string>().ShouldBe("allowed");
        records[0]["protocol"]!.GetValue<string>().ShouldBe("http");
        records[0]["bytesDown"]!.GetValue<long>().ShouldBeGreaterThan(0);
        records[1]["port"]!.GetValue<int>().ShouldBe(denied.Port);
        records[1]["verdict"]!.GetValue<string>().ShouldBe("refused");
        records[1]["host"]!.GetValue<string>().ShouldBe("127.0.0.1");

        // Another tenant finds neither the records nor the sandbox; nor may it change the network.
        await Expect.ProblemAsync(await other.Admin.GetAsync($"/v1/sandboxes/{id}/egress", Ct), 404);
        await Expect.ProblemAsync(await other.Admin.PutAsJsonAsync($"/v1/sandboxes/{id}/network", new { mode = "allowlist", allow = new[] { "127.0.0.1" } }, Ct), 404);

        // Widening: beyond the ceiling is refused; within it, the refused destination is reached by the running sandbox.
        var beyond = await Expect.ProblemAsync(await tenant.Operator.PutAsJsonAsync($"/v1/sandboxes/{id}/network", new { mode = "allowlist", allow = new[] { "10.0.0.1" } }, Ct), 403);
        beyond["detail"]!.GetValue<string>().ShouldContain("network.allow[0]: '10.0.0.1'");
        var modeChange = await Expect.ProblemAsync(await tenant.Operator.PutAsJsonAsync($"/v1/sandboxes/{id}/network", new { mode = "open" }, Ct), 409);
        modeChange["detail"]!.GetValue<string>().ShouldContain("create it again");
        var widened = await Expect.JsonAsync(await tenant.Operator.PutAsJsonAsync($"/v1/sandboxes/{id}/network",
            new { mode = "allowlist", allow = new[] { $"127.0.0.1:{allowed.Port}", $"127.0.0.1:{denied.Port}" } }, Ct), 200);
        widened["network"]!["allow"]!.AsArray().Count.ShouldBe(2);
        (await ServerHarness.ExecAsync(tenant.Operator, id, Get(denied.Port))).ShouldContain("denied-body");
        denied.Requests.ShouldBe(1);
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200))["state"]!.GetValue<string>().ShouldBe("running");

        // Counted per tenant, and audited: the change and the reads.
        var metrics = await (await server.Admin.GetAsync("/metrics", Ct)).Content.ReadAsStringAsync(Ct);
        metrics.ShouldContain("airlock_egress_connections_total{tenant=\"acme\",verdict=\"allowed\"} 2");
        metrics.ShouldContain("airlock_egress_connections_total{tenant=\"acme\",verdict=\"refused\"}");
        metrics.ShouldNotContain("tenant=\"other\"");
        var actions = (await Expect.JsonAsync(await server.Admin.GetAsync("/v1/audit?tenant=acme", Ct), 200))["entries"]!.AsArray()
            .Select(e => e!["action"]!.GetValue<string>()).ToList();
        actions.ShouldContain("PUT /v1/sandboxes/{id}/network");
        actions.ShouldContain("GET /v1/sandboxes/{id}/egress");

        var socketDirectory = Path.Combine(server.Options.RuntimeDirectory!, id);
        Directory.Exists(socketDirectory).ShouldBeTrue();
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        Directory.Exists(socketDirectory).ShouldBeFalse("the proxy goes with its sandbox");
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_server_started_again_listens_at_the_same_socket_and_the_running_sandbox_gets_out_again(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        using var web = new TinyHttpServer(IPAddress.Loopback, "still-there");
        await Expect.StatusAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { allow = new[] { "127.0.0.1" } }, Ct), 200);
        var id = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes",
            ServerHarness.SandboxOn("kept", new { mode = "allowlist", allow = new[] { $"127.0.0.1:{web.Port}" } }), Ct), 201))["id"]!.GetValue<string>();
        (await ServerHarness.ExecAsync(tenant.Operator, id, Get(web.Port))).ShouldContain("still-there");

        // A second server on the same database and runtime directory is what a restart looks like to the sandbox: the
        // socket file is made anew, by another process, at the path the sandbox's relay connects to.
        await using (var again = await AirlockServer.StartAsync(server.Options with { Listen = "http://127.0.0.1:0" }, logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Airlock", LogLevel.Critical), Ct))
        {
            using var client = new HttpClient { BaseAddress = again.Address };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Keys["operator"]);
            (await ServerHarness.ExecAsync(client, id, Get(web.Port))).ShouldContain("still-there");
            web.Requests.ShouldBe(2);
        }

        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
    }
}
