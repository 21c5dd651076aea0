using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Tests.Api;

public sealed class AuditAndObservabilityTests
{
    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task State_changes_are_audited_and_airlock_audit_verify_names_an_edited_entry(string store)
    {
        await using var server = await ServerHarness.StartAsync(store);
        var tenant = await server.NewTenantAsync("acme");
        var created = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("audited"), Ct), 201);
        var id = created["id"]!.GetValue<string>();
        await Expect.ProblemAsync(await tenant.Viewer.DeleteAsync($"/v1/sandboxes/{id}", Ct), 403);
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);

        var page = await Expect.JsonAsync(await server.Admin.GetAsync("/v1/audit?tenant=acme", Ct), 200);
        var entries = page["entries"]!.AsArray();
        var operatorKey = tenant.Keys["operator"].Split('_')[1];
        entries.ShouldContain(e => e!["action"]!.GetValue<string>() == "POST /v1/sandboxes" && e["status"]!.GetValue<int>() == 201 && e["actor"]!.GetValue<string>() == operatorKey);
        entries.ShouldContain(e => e!["action"]!.GetValue<string>() == "DELETE /v1/sandboxes/{id}" && e["status"]!.GetValue<int>() == 403 && e["result"]!.GetValue<string>() == "refused");
        entries.ShouldContain(e => e!["action"]!.GetValue<string>() == "DELETE /v1/sandboxes/{id}" && e["status"]!.GetValue<int>() == 204 && e["target"]!.GetValue<string>() == $"id={id}");
        (await Expect.JsonAsync(await tenant.Admin.GetAsync("/v1/audit", Ct), 200))["entries"]!.AsArray().Count.ShouldBe(entries.Count);

        var (code, stdout, _) = await RunAirlockAsync("audit", "verify", "--database", server.Database.Url);
        code.ShouldBe(0, stdout);
        stdout.ShouldContain("intact");

        var victim = entries[1]!["seq"]!.GetValue<long>();
        await using (var connection = await server.Database.Database.OpenAsync(Ct))
        {
            await connection.ExecuteAsync("UPDATE audit_log SET status = 200 WHERE seq = @victim", new { victim });
        }

        var (broken, json, _) = await RunAirlockAsync("audit", "verify", "--database", server.Database.Url, "--json");
        broken.ShouldBe(4);
        json.ShouldContain($"\"brokenSeq\":{victim}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Health_readiness_metrics_and_the_openapi_document_answer()
    {
        await using var server = await ServerHarness.StartAsync();
        var anonymous = server.Client(null);
        await Expect.StatusAsync(await anonymous.GetAsync("/healthz", Ct), 200);
        var ready = await Expect.JsonAsync(await anonymous.GetAsync("/readyz", Ct), 200);
        ready["database"]!.GetValue<string>().ShouldBe("ok");
        ready["engine"]!.GetValue<string>().ShouldBe("ok");

        await server.NewTenantAsync("acme");
        var metrics = await server.Admin.GetAsync("/metrics", Ct);
        await Expect.StatusAsync(metrics, 200);
        metrics.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await metrics.Content.ReadAsStringAsync(Ct);
        text.ShouldContain("# TYPE airlock_http_requests_total counter");
        text.ShouldContain("airlock_http_requests_total{method=\"POST\",route=\"/v1/tenants\",status=\"201\"} 1");
        text.ShouldContain("airlock_up{component=\"database\"} 1");
        text.ShouldContain("airlock_sandboxes{state=\"running\"} 0");

        var openapi = await Expect.JsonAsync(await anonymous.GetAsync("/openapi/v1.json", Ct), 200);
        var paths = openapi["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.ShouldContain("/v1/sandboxes");
        paths.ShouldContain("/v1/sandboxes/{id}/exec");
        paths.ShouldContain("/v1/tenants/{tenant}/keys");
    }

    [Fact(Timeout = 60_000)]
    public async Task Readiness_reports_an_engine_that_does_not_answer()
    {
        var database = await TestDatabase.CreateAsync(Stores.Sqlite);
        await using var _ = database;
        var dir = Directory.CreateTempSubdirectory("airlock-ready-");
        try
        {
            var options = new ServerOptions
            {
                Listen = "http://127.0.0.1:0",
                Database = database.Target,
                Engine = Airlock.Engine.Transport.EngineEndpoint.Unix(Path.Combine(dir.FullName, "no-engine.sock")),
                BootstrapKeyFile = Path.Combine(dir.FullName, "key"),
            };
            await using var server = await AirlockServer.StartAsync(options, l => l.AddFilter(_ => false), Ct);
            using var client = new HttpClient { BaseAddress = server.Address };
            var ready = await Expect.JsonAsync(await client.GetAsync("/readyz", Ct), 503);
            ready["engine"]!.GetValue<string>().ShouldBe("down");
            ready["database"]!.GetValue<string>().ShouldBe("ok");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Task<ProcessResult> RunAirlockAsync(params string[] args) =>
        AirlockBinary.RunAsync(args, new Dictionary<string, string?> { ["NO_COLOR"] = "1" });
}
