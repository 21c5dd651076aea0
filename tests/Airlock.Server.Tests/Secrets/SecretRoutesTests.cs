using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Secrets;

/// <summary>
/// <c>/v1/tenants/{tenant}/secrets</c> on both stores: a tenant admin (or the system admin) sets, lists, replaces and
/// deletes secrets; no answer, audit entry, log line (Trace included) or byte of the database holds a value in clear;
/// other roles and other tenants get nothing.
/// </summary>
public sealed class SecretRoutesTests
{
    private static string NewValue(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static object Secret(string name, string value, string[] hosts, string? inject = null, string? variable = null) =>
        new { name, value, hosts, inject, variable };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_admin_sets_lists_replaces_and_deletes_secrets_and_no_answer_log_audit_entry_or_database_byte_holds_a_value(string store)
    {
        var logs = new CapturedLogs();
        await using var server = await ServerHarness.StartAsync(store, logging: logs.Configure);
        var acme = await server.NewTenantAsync("acme");
        var other = await server.NewTenantAsync("other");
        var first = NewValue("sk-first-");
        var second = NewValue("sk-second-");
        var system = NewValue("ghp-system-");

        var created = await Expect.JsonAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", Secret("OPENAI_API_KEY", first, ["api.openai.com"]), Ct), 201);
        created.ToJsonString().ShouldNotContain(first);
        created["name"]!.GetValue<string>().ShouldBe("OPENAI_API_KEY");
        created["variable"]!.GetValue<string>().ShouldBe("OPENAI_API_KEY");
        created["inject"]!.GetValue<string>().ShouldBe("bearer");
        created["hosts"]!.AsArray().Select(h => h!.GetValue<string>()).ShouldBe(["api.openai.com"]);
        created.AsObject().Select(p => p.Key).ShouldBe(["name", "variable", "hosts", "inject", "createdAt", "updatedAt"]);

        // Setting it again replaces every part: a rotated value, another place.
        var replaced = await Expect.JsonAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets",
            Secret("OPENAI_API_KEY", second, ["api.openai.com", "*.openai.azure.com"], "header:api-key", "OPENAI_KEY"), Ct), 200);
        replaced["inject"]!.GetValue<string>().ShouldBe("header:api-key");
        replaced["variable"]!.GetValue<string>().ShouldBe("OPENAI_KEY");
        replaced["createdAt"]!.GetValue<DateTimeOffset>().ShouldBe(created["createdAt"]!.GetValue<DateTimeOffset>());

        // The system admin may set a tenant's secret too; it cannot read one back either.
        await Expect.StatusAsync(await server.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", Secret("GH_TOKEN", system, ["github.com"], "basic"), Ct), 201);
        var listed = await (await server.Admin.GetAsync("/v1/tenants/acme/secrets", Ct)).Content.ReadAsStringAsync(Ct);
        var list = JsonNode.Parse(listed)!.AsArray();
        list.Select(s => s!["name"]!.GetValue<string>()).ShouldBe(["GH_TOKEN", "OPENAI_API_KEY"]);
        var one = await (await acme.Admin.GetAsync("/v1/tenants/acme/secrets/OPENAI_API_KEY", Ct)).Content.ReadAsStringAsync(Ct);
        JsonNode.Parse(one)!["hosts"]!.AsArray().Count.ShouldBe(2);

        // Operators and viewers use secrets (by name, in a create) but do not manage them; another tenant finds none.
        foreach (var client in new[] { acme.Operator, acme.Viewer })
        {
            await Expect.ProblemAsync(await client.GetAsync("/v1/tenants/acme/secrets", Ct), 403);
            await Expect.ProblemAsync(await client.PostAsJsonAsync("/v1/tenants/acme/secrets", Secret("X", "y", ["a.example"]), Ct), 403);
            await Expect.ProblemAsync(await client.DeleteAsync("/v1/tenants/acme/secrets/GH_TOKEN", Ct), 403);
        }

        await Expect.ProblemAsync(await other.Admin.GetAsync("/v1/tenants/acme/secrets", Ct), 404);
        await Expect.ProblemAsync(await other.Admin.GetAsync("/v1/tenants/acme/secrets/OPENAI_API_KEY", Ct), 404);
        await Expect.ProblemAsync(await other.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", Secret("OPENAI_API_KEY", "stolen", ["evil.example"]), Ct), 404);
        await Expect.ProblemAsync(await other.Admin.DeleteAsync("/v1/tenants/acme/secrets/OPENAI_API_KEY", Ct), 404);
        (await Expect.JsonAsync(await other.Admin.GetAsync("/v1/tenants/other/secrets", Ct), 200)).AsArray().ShouldBeEmpty();

        // Everything about them is on disk, nothing of their values in clear.
        var stored = await StoredText.DumpAsync(server.Database);
        stored.ShouldContain("OPENAI_API_KEY");
        stored.ShouldNotContain(first);
        stored.ShouldNotContain(second);
        stored.ShouldNotContain(system);

        await Expect.StatusAsync(await acme.Admin.DeleteAsync("/v1/tenants/acme/secrets/OPENAI_API_KEY", Ct), 204);
        var gone = await Expect.ProblemAsync(await acme.Admin.GetAsync("/v1/tenants/acme/secrets/OPENAI_API_KEY", Ct), 404);
        gone["detail"]!.GetValue<string>().ShouldContain("GET /v1/tenants/acme/secrets");
        await Expect.ProblemAsync(await acme.Admin.DeleteAsync("/v1/tenants/acme/secrets/OPENAI_API_KEY", Ct), 404);

        // The audit log says which secret was set or deleted by whom: the name, never the value.
        var audit = await (await server.Admin.GetAsync("/v1/audit?tenant=acme", Ct)).Content.ReadAsStringAsync(Ct);
        var entries = JsonNode.Parse(audit)!["entries"]!.AsArray();
        entries.ShouldContain(e => e!["action"]!.GetValue<string>() == "POST /v1/tenants/{tenant}/secrets" && e["status"]!.GetValue<int>() == 201
            && e["target"]!.GetValue<string>() == "tenant=acme,name=OPENAI_API_KEY");
        entries.ShouldContain(e => e!["action"]!.GetValue<string>() == "POST /v1/tenants/{tenant}/secrets" && e["status"]!.GetValue<int>() == 200);
        entries.ShouldContain(e => e!["action"]!.GetValue<string>() == "DELETE /v1/tenants/{tenant}/secrets/{name}" && e["status"]!.GetValue<int>() == 204
            && e["target"]!.GetValue<string>() == "tenant=acme,name=OPENAI_API_KEY");

        foreach (var text in new[] { listed, one, audit, await StoredText.DumpAsync(server.Database), logs.All })
        {
            text.ShouldNotContain(first);
            text.ShouldNotContain(second);
            text.ShouldNotContain(system);
        }

        logs.Count.ShouldBeGreaterThan(50, "Trace logging was on");
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_bad_field_is_a_400_with_its_path_and_a_host_beyond_the_ceiling_a_403()
    {
        await using var server = await ServerHarness.StartAsync();
        var acme = await server.NewTenantAsync("acme");
        var secret = NewValue("sk-bad-");

        var all = await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets",
            new { name = "9lives", hosts = new[] { "https://api.openai.com", "ok.example" }, inject = "cookie" }, Ct), 400);
        Paths(all).ShouldBe(["secret.name", "secret.value", "secret.hosts[0]", "secret.inject"]);
        all["detail"]!.GetValue<string>().ShouldContain("bearer, basic, or header:NAME");

        var missing = await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", new { value = secret }, Ct), 400);
        Paths(missing).ShouldBe(["secret.name", "secret.hosts"]);
        missing.ToJsonString().ShouldNotContain(secret);

        var tooLong = await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets",
            Secret("BIG", new string('k', 16 * 1024 + 1), ["a.example"]), Ct), 400);
        Paths(tooLong).ShouldBe(["secret.value"]);
        tooLong["detail"]!.GetValue<string>().ShouldContain("is 16385 bytes; at most 16384");

        var newline = await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets",
            Secret("NL", secret + "\n", ["a.example"]), Ct), 400);
        newline["detail"]!.GetValue<string>().ShouldContain("a line break");
        newline.ToJsonString().ShouldNotContain(secret);

        var reserved = await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets",
            Secret("HTTPS_PROXY", secret, ["a.example"], "header:"), Ct), 400);
        Paths(reserved).ShouldBe(["secret.name", "secret.inject"]);

        var hosts = Enumerable.Range(0, 33).Select(i => $"h{i}.example").ToArray();
        Paths(await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", Secret("MANY", secret, hosts), Ct), 400)).ShouldBe(["secret.hosts"]);

        // An address no ceiling rule covers: no sandbox of the tenant could reach it, so the secret may not go there.
        var beyond = await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets",
            Secret("INTERNAL", secret, ["api.example", "10.0.0.1:443"]), Ct), 403);
        beyond["detail"]!.GetValue<string>().ShouldContain("secret.hosts[1]: '10.0.0.1:443' is beyond this tenant's egress ceiling");

        // Not JSON, or unknown fields: the body's own 4xx.
        await Expect.ProblemAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", new { name = "A", value = "b", hosts = new[] { "a.example" }, valueFrom = "env" }, Ct), 400);
        (await Expect.JsonAsync(await acme.Admin.GetAsync("/v1/tenants/acme/secrets", Ct), 200)).AsArray().ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_create_naming_secrets_needs_an_allowlist_and_secrets_of_its_tenant_each_bad_one_named()
    {
        await using var server = await ServerHarness.StartAsync();
        var acme = await server.NewTenantAsync("acme");
        await server.NewTenantAsync("other");
        await Expect.StatusAsync(await server.Admin.PostAsJsonAsync("/v1/tenants/other/secrets", Secret("THEIRS", "v", ["a.example"]), Ct), 201);
        await Expect.StatusAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", Secret("MINE", "v", ["a.example"], variable: "TOKEN"), Ct), 201);
        await Expect.StatusAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", Secret("ALSO_TOKEN", "v", ["a.example"], variable: "TOKEN"), Ct), 201);

        foreach (var network in new object[] { "none", new { mode = "open" } })
        {
            var open = await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync("/v1/sandboxes", WithSecrets("s1", network, ["MINE"]), Ct), 400);
            Paths(open).ShouldBe(["sandbox.secrets"]);
            open["detail"]!.GetValue<string>().ShouldContain("secrets need \"network\": {\"mode\": \"allowlist\"");
        }

        var allowlist = new { mode = "allowlist", allow = new[] { "a.example" } };
        var bad = await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync("/v1/sandboxes", WithSecrets("s2", allowlist, ["THEIRS", "MINE", "MINE", "bad-name", "ALSO_TOKEN"]), Ct), 400);
        Paths(bad).ShouldBe(["sandbox.secrets[0]", "sandbox.secrets[2]", "sandbox.secrets[3]", "sandbox.secrets[4]"]);
        bad["detail"]!.GetValue<string>().ShouldContain("'THEIRS' is not a secret of this tenant");
        bad["detail"]!.GetValue<string>().ShouldContain("'ALSO_TOKEN' puts its placeholder in TOKEN, as 'MINE' does");

        var env = await Expect.ProblemAsync(await acme.Operator.PostAsJsonAsync("/v1/sandboxes", new
        {
            name = "s3", image = TestEngines.BaseImage, command = new[] { "sleep", "infinity" }, network = allowlist, secrets = new[] { "MINE" }, env = new Dictionary<string, string> { ["TOKEN"] = "plain" },
        }, Ct), 400);
        env["detail"]!.GetValue<string>().ShouldContain("sandbox.secrets[0]: 'MINE' puts its placeholder in TOKEN, which env sets too");
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    internal static object WithSecrets(string name, object network, string[] secrets) => new
    {
        name,
        image = TestEngines.BaseImage,
        command = new[] { "sleep", "infinity" },
        limits = new { cpus = 0.25, memoryBytes = 64L * 1024 * 1024 },
        network,
        secrets,
    };

    private static List<string> Paths(JsonNode problem) => problem["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
}
