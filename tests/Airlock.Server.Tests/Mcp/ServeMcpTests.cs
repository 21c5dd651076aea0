using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Airlock.Sandboxes.Mcp;
using Airlock.Server.Tests.Breaches;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Mcp;

/// <summary>
/// <c>airlock serve</c>'s <c>/mcp</c>, driven by the official MCP TypeScript SDK client over streamable HTTP with a
/// tenant's key: the same tools as <c>airlock mcp</c>, in the key's tenant with the key's role, audited, and never
/// reaching another tenant's sandbox; on both engines (and both stores for the whole round).
/// </summary>
public sealed class ServeMcpTests
{
    private static readonly string[] ToolNames =
    [
        SandboxToolset.CreateSandbox, SandboxToolset.ListSandboxes, SandboxToolset.RunCommand, SandboxToolset.ReadFile,
        SandboxToolset.WriteFile, SandboxToolset.ListFiles, SandboxToolset.DeleteSandbox,
    ];

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(Stores.WithEachEngine), MemberType = typeof(Stores))]
    public async Task An_mcp_client_with_an_operator_key_creates_runs_writes_reads_and_deletes_a_sandbox(string engine, string store)
    {
        await using var server = await ServerHarness.StartAsync(store, engine);
        var tenant = await server.NewTenantAsync("acme");
        var big = string.Concat(Enumerable.Repeat("0123456789abcdef", 20_000)); // 320,000 bytes: past the 64 KiB the REST JSON bodies take here
        var first = await McpHttpClient.RunAsync(server.Server.Address, tenant.Keys["operator"],
            McpHttpClient.Call(SandboxToolset.CreateSandbox, new { @namespace = TestEngines.BaseImage }),
            McpHttpClient.Call(SandboxToolset.RunCommand, new { sandbox = "$sandbox", command = new[] { "sh", "-c", "echo out; echo err >&2; exit 3" } }),
            McpHttpClient.Call(SandboxToolset.WriteFile, new { sandbox = "$sandbox", path = "/tmp/mcp/deeper/note.txt", content = "hello é\n" }),
            McpHttpClient.Call(SandboxToolset.ReadFile, new { sandbox = "$sandbox", path = "/tmp/mcp/deeper/note.txt" }),
            McpHttpClient.Call(SandboxToolset.ListFiles, new { sandbox = "$sandbox", path = "/tmp/mcp/deeper" }),
            McpHttpClient.Call(SandboxToolset.RunCommand, new { sandbox = "$sandbox", command = new[] { "cat", "/tmp/mcp/deeper/note.txt" } }),
            McpHttpClient.Call(SandboxToolset.WriteFile, new { sandbox = "$sandbox", path = "/tmp/big.txt", content = big }),
            McpHttpClient.Call(SandboxToolset.RunCommand, new { sandbox = "$sandbox", command = new[] { "wc", "-c", "/tmp/big.txt" } }),
            McpHttpClient.Call(SandboxToolset.ListSandboxes),
            McpHttpClient.Call(SandboxToolset.RunCommand, new { sandbox = "$sandbox", command = new[] { "sh", "-c", "echo started; exec sleep 60" }, timeoutSeconds = 1 }));

        first.ToolNames.Order(StringComparer.Ordinal).ShouldBe(ToolNames.Order(StringComparer.Ordinal));
        ((string)first.Tool(SandboxToolset.CreateSandbox)["description"]!).ShouldContain("tenant");
        var created = first.Ok(0);
        var id = (string)created["sandbox"]!;
        ((string)created["image"]!).ShouldBe(TestEngines.BaseImage);
        ((bool)created["running"]!).ShouldBeTrue();

        var ran = first.Ok(1);
        ((int)ran["exitCode"]!).ShouldBe(3);
        ((string)ran["stdout"]!).ShouldBe("out\n");
        ((string)ran["stderr"]!).ShouldBe("err\n");
        ((bool)ran["timedOut"]!).ShouldBeFalse();

        ((long)first.Ok(2)["size"]!).ShouldBe(Encoding.UTF8.GetByteCount("hello é\n"));
        var read = first.Ok(3);
        ((string)read["encoding"]!).ShouldBe("utf-8");
        ((string)read["content"]!).ShouldBe("hello é\n");
        var entry = first.Ok(4)["entries"]!.AsArray().Single()!;
        ((string)entry["name"]!).ShouldBe("note.txt");
        ((string)entry["type"]!).ShouldBe("file");
        ((string)first.Ok(5)["stdout"]!).ShouldBe("hello é\n");
        ((long)first.Ok(6)["size"]!).ShouldBe(big.Length);
        ((string)first.Ok(7)["stdout"]!).ShouldBe($"{big.Length} /tmp/big.txt\n");
        first.Ok(8)["sandboxes"]!.AsArray().Select(s => (string)s!["sandbox"]!).ShouldBe([id]);
        var killed = first.Ok(9);
        ((bool)killed["timedOut"]!).ShouldBeTrue();
        ((int)killed["exitCode"]!).ShouldBe(-1);
        ((string)killed["stdout"]!).ShouldBe("started\n");

        // The sandbox outlives the client's connection: it is the tenant's, seen through the REST API too.
        var view = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200);
        ((string)view["state"]!).ShouldBe("running");
        (await ServerHarness.ExecAsync(tenant.Operator, id, "cat", "/tmp/mcp/deeper/note.txt")).ShouldBe("hello é\n");

        var second = await McpHttpClient.RunAsync(server.Server.Address, tenant.Keys["operator"],
            McpHttpClient.Call(SandboxToolset.DeleteSandbox, new { sandbox = id }),
            McpHttpClient.Call(SandboxToolset.ListSandboxes));
        ((bool)second.Ok(0)["deleted"]!).ShouldBeTrue();
        second.Ok(1)["sandboxes"]!.AsArray().ShouldBeEmpty();
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 404);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();

        // Audited as the REST calls are: each change, by the key that made it, in its tenant.
        var audit = await AuditAsync(tenant);
        var mine = audit.Where(e => ((string)e["action"]!).StartsWith("MCP ", StringComparison.Ordinal)).ToList();
        mine.Select(e => (string)e["action"]!).ShouldBe(
        [
            "MCP create_sandbox", "MCP run_command", "MCP write_file", "MCP run_command", "MCP write_file", "MCP run_command", "MCP run_command",
            "MCP delete_sandbox",
        ]);
        mine.ShouldAllBe(e => (string)e["result"]! == "ok" && (string)e["tenantId"]! == "acme" && ((string)e["target"]!).StartsWith($"id={id}", StringComparison.Ordinal));
        ((string)mine[2]["target"]!).ShouldBe($"id={id},path=/tmp/mcp/deeper/note.txt");
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Mcp_is_stateless_post_only_and_not_in_the_openapi_document(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, "/mcp");
            request.Headers.Accept.ParseAdd("text/event-stream");
            var response = await tenant.Operator.SendAsync(request, Ct);
            await Expect.ProblemAsync(response, 405);
            response.Content.Headers.Allow.ShouldBe(["POST"]);
        }

        // A call needs no initialize first, and no session id comes back: any server of the database can take the next.
        using var call = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = Expect.RawJson("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_sandboxes","arguments":{}}}"""),
        };
        call.Headers.Accept.ParseAdd("application/json");
        call.Headers.Accept.ParseAdd("text/event-stream");
        var answer = await tenant.Viewer.SendAsync(call, Ct);
        await Expect.StatusAsync(answer, 200);
        answer.Headers.Contains("Mcp-Session-Id").ShouldBeFalse();
        var sse = await answer.Content.ReadAsStringAsync(Ct);
        var message = JsonNode.Parse(sse.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])!;
        ((int)message["id"]!).ShouldBe(7, sse);
        var text = (string)message["result"]!["content"]![0]!["text"]!;
        JsonNode.Parse(text)!["sandboxes"]!.AsArray().ShouldBeEmpty();

        var document = await Expect.JsonAsync(await server.Client(null).GetAsync("/openapi/v1.json", Ct), 200);
        document["paths"]!.AsObject().Select(p => p.Key).ShouldNotContain(p => p.StartsWith("/mcp", StringComparison.Ordinal));
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Without_a_valid_key_mcp_answers_401_with_problem_details(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
        foreach (var key in new string?[] { null, "alk_not-a-key" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(initialize, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            var problem = await Expect.ProblemAsync(await server.Client(key).SendAsync(request, Ct), 401);
            ((string)problem["title"]!).ShouldBe("unauthenticated");
        }

        // The SDK's client, too, is turned away before any tool is offered.
        var session = await McpHttpClient.RunAsync(server.Server.Address, null);
        session.ConnectError.ShouldNotBeNull();
        session.ConnectError.ShouldContain("401");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_viewer_key_lists_and_reads_but_cannot_create_run_write_or_delete(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));
        await TenantCalls.ExecAsync(tenant, id, "echo visible > /tmp/seen.txt");

        var session = await McpHttpClient.RunAsync(server.Server.Address, tenant.Keys["viewer"],
            McpHttpClient.Call(SandboxToolset.ListSandboxes),
            McpHttpClient.Call(SandboxToolset.ReadFile, new { sandbox = id, path = "/tmp/seen.txt" }),
            McpHttpClient.Call(SandboxToolset.RunCommand, new { sandbox = id, command = new[] { "touch", "/tmp/by-viewer" } }),
            McpHttpClient.Call(SandboxToolset.WriteFile, new { sandbox = id, path = "/tmp/by-viewer", content = "x" }),
            McpHttpClient.Call(SandboxToolset.CreateSandbox, new { @namespace = TestEngines.BaseImage }),
            McpHttpClient.Call(SandboxToolset.DeleteSandbox, new { sandbox = id }));

        session.Ok(0)["sandboxes"]!.AsArray().Select(s => (string)s!["sandbox"]!).ShouldBe([id]);
        ((string)session.Ok(1)["content"]!).ShouldBe("visible\n");
        for (var call = 2; call <= 5; call++)
        {
            session.Refused(call).ShouldContain("needs the operator role in tenant 'acme'; the key has viewer");
        }

        // Nothing happened: the sandbox runs, nothing was written in it, no second sandbox exists.
        (await TenantCalls.ExecAsync(tenant, id, "ls /tmp")).ShouldNotContain("by-viewer");
        var list = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
        list["items"]!.AsArray().Select(s => (string)s!["id"]!).ShouldBe([id]);
        (await server.ContainerNamesAsync()).Count.ShouldBe(1);

        var refused = (await AuditAsync(tenant)).Where(e => ((string)e["action"]!).StartsWith("MCP ", StringComparison.Ordinal)).ToList();
        refused.Select(e => (string)e["action"]!).ShouldBe(["MCP run_command", "MCP write_file", "MCP create_sandbox", "MCP delete_sandbox"]);
        refused.ShouldAllBe(e => (string)e["result"]! == "refused" && (int)e["status"]! == 403);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Another_tenant_cannot_reach_a_sandbox_by_its_id_through_any_tool(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var victim = await server.NewTenantAsync("victim");
        var attacker = await server.NewTenantAsync("attacker");
        var owned = await McpHttpClient.RunAsync(server.Server.Address, victim.Keys["operator"],
            McpHttpClient.Call(SandboxToolset.CreateSandbox, new { @namespace = TestEngines.BaseImage }),
            McpHttpClient.Call(SandboxToolset.WriteFile, new { sandbox = "$sandbox", path = "/tmp/secret.txt", content = "victim's secret\n" }));
        var id = (string)owned.Ok(0)["sandbox"]!;
        owned.Ok(1);

        // The attacker's admin key: the most any key of its tenant has.
        var attack = await McpHttpClient.RunAsync(server.Server.Address, attacker.Keys["admin"],
            McpHttpClient.Call(SandboxToolset.ListSandboxes),
            McpHttpClient.Call(SandboxToolset.RunCommand, new { sandbox = id, command = new[] { "cat", "/tmp/secret.txt" } }),
            McpHttpClient.Call(SandboxToolset.ReadFile, new { sandbox = id, path = "/tmp/secret.txt" }),
            McpHttpClient.Call(SandboxToolset.WriteFile, new { sandbox = id, path = "/tmp/secret.txt", content = "overwritten\n" }),
            McpHttpClient.Call(SandboxToolset.ListFiles, new { sandbox = id, path = "/tmp" }),
            McpHttpClient.Call(SandboxToolset.DeleteSandbox, new { sandbox = id }));

        attack.Ok(0)["sandboxes"]!.AsArray().ShouldBeEmpty();
        for (var call = 1; call <= 5; call++)
        {
            var refusal = attack.Refused(call);
            refusal.ShouldContain($"sandbox '{id}' does not exist in tenant 'attacker'");
            refusal.ShouldNotContain("secret");
        }

        // The victim's sandbox is untouched.
        (await TenantCalls.ExecAsync(victim, id, "cat /tmp/secret.txt")).ShouldBe("victim's secret\n");
        var view = await Expect.JsonAsync(await victim.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct), 200);
        ((string)view["state"]!).ShouldBe("running");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task The_tenants_quota_and_rate_limit_hold_for_mcp_as_for_rest(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var small = await server.NewTenantAsync("small", maxSandboxes: 1);
        var session = await McpHttpClient.RunAsync(server.Server.Address, small.Keys["operator"],
            McpHttpClient.Call(SandboxToolset.CreateSandbox, new { @namespace = TestEngines.BaseImage }),
            McpHttpClient.Call(SandboxToolset.CreateSandbox, new { @namespace = TestEngines.BaseImage }));
        var id = (string)session.Ok(0)["sandbox"]!;
        session.Refused(1).ShouldContain("tenant 'small' is at its quota");
        (await server.ContainerNamesAsync()).Count.ShouldBe(1);
        var creates = (await AuditAsync(small)).Where(e => (string)e["action"]! == "MCP create_sandbox").ToList();
        creates.Select(e => ((string)e["result"]!, (int)e["status"]!)).ShouldBe([("ok", 200), ("refused", 409)]);
        creates[0]["target"]!.GetValue<string>().ShouldBe($"id={id}");

        // The "tiny" tier: three requests, then one a minute; each POST to /mcp draws on it as a REST call does.
        var limited = await server.NewTenantAsync("limited", tier: "tiny");
        var statuses = new List<int>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            using var call = new HttpRequestMessage(HttpMethod.Post, "/mcp")
            {
                Content = Expect.RawJson("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_sandboxes","arguments":{}}}"""),
            };
            call.Headers.Accept.ParseAdd("application/json");
            call.Headers.Accept.ParseAdd("text/event-stream");
            last = await limited.Viewer.SendAsync(call, Ct);
            statuses.Add((int)last.StatusCode);
        }

        statuses.ShouldBe([200, 200, 200, 429]);
        await Expect.ProblemAsync(last!, 429);
        last!.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_command_whose_client_hangs_up_is_killed_and_audited_as_499(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));
        var call = System.Text.Json.JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            id = 1,
            method = "tools/call",
            @params = new { name = SandboxToolset.RunCommand, arguments = new { sandbox = id, command = new[] { "sh", "-c", "exec sleep 300" } } },
        });
        using var hangUp = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = Expect.RawJson(call) };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        var sending = tenant.Operator.SendAsync(request, hangUp.Token);

        await Poll.UntilAsync(() => TenantCalls.ExecAsync(tenant, id, ProcessList), ps => ps.Contains("sleep 300", StringComparison.Ordinal), "the command to run");
        await hangUp.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(sending);

        // The server gives the command up: killed, and recorded as a change its caller left.
        await Poll.UntilAsync(() => TenantCalls.ExecAsync(tenant, id, ProcessList), ps => !ps.Contains("sleep 300", StringComparison.Ordinal), "the command to be killed");
        var entry = await Poll.UntilAsync(
            async () => (await AuditAsync(tenant)).FirstOrDefault(e => (string)e["action"]! == "MCP run_command"), e => e is not null, "the run's audit entry");
        ((int)entry!["status"]!).ShouldBe(499);
        ((string)entry["target"]!).ShouldBe($"id={id}");
    }

    /// <summary>Every process's command line in the sandbox, one a line (the base image has no ps).</summary>
    private const string ProcessList = "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done";

    /// <summary>The tenant's audit entries, oldest first, as its admin reads them.</summary>
    private static async Task<IReadOnlyList<JsonNode>> AuditAsync(TestTenant tenant)
    {
        var page = await Expect.JsonAsync(await tenant.Admin.GetAsync("/v1/audit?limit=1000", Ct), 200);
        return page["entries"]!.AsArray().Select(e => e!).ToList();
    }
}
