using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Secrets;

/// <summary>
/// A sandbox of the server given a tenant secret, on both engines: a FAKE HTTPS provider on the host (a certificate of the
/// test's own root, which the server trusts as it would a public one) receives the real value in its header, while the
/// sandbox holds only the placeholder (its environment, every process's environ), and no route (the sandbox, its egress
/// records, the audit log), log line or database byte shows the value. A rotated value reaches the running sandbox's
/// next request; a deleted secret is no longer filled in.
/// </summary>
public sealed class SandboxSecretTests
{
    [Theory(Timeout = 300_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task The_provider_gets_the_value_the_sandbox_holds_only_the_placeholder_and_rotation_and_deletion_reach_it_at_once(string engine)
    {
        using var root = new TestCertificateAuthority();
        using var provider = new FakeHttpsProvider(IPAddress.Loopback, root.Issue("127.0.0.1"));
        var logs = new CapturedLogs();
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine, configure: o => o with { UpstreamRoots = root.Roots }, logging: logs.Configure);
        var acme = await server.NewTenantAsync("acme");
        var other = await server.NewTenantAsync("other");
        var value = "sk-live-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var rotated = "sk-next-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var destination = $"127.0.0.1:{provider.Port}";

        // Loopback needs an address rule, which the ceiling must cover: the system admin's part.
        await Expect.StatusAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { allow = new[] { "127.0.0.1" } }, Ct), 200);
        await Expect.StatusAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", new { name = "OPENAI_API_KEY", value, hosts = new[] { destination } }, Ct), 201);

        var created = await Expect.JsonAsync(await acme.Operator.PostAsJsonAsync("/v1/sandboxes",
            SecretRoutesTests.WithSecrets("agent", new { mode = "allowlist", allow = new[] { destination } }, ["OPENAI_API_KEY"]), Ct), 201);
        var id = created["id"]!.GetValue<string>();
        created["secrets"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["OPENAI_API_KEY"]);

        var answer = await ServerHarness.ExecAsync(acme.Operator, id, SandboxRequests.BearerGet(provider.Port, "OPENAI_API_KEY"));
        answer.ShouldContain(FakeHttpsProvider.Answer);
        provider.Requests.ShouldHaveSingleItem().Header("authorization").ShouldBe("Bearer " + value);

        // Inside: the placeholder in the variable, the sandbox's trust pointed at its authority, the value nowhere.
        var env = await ServerHarness.ExecAsync(acme.Operator, id, "env");
        var placeholder = env.Split('\n').Single(l => l.StartsWith("OPENAI_API_KEY=", StringComparison.Ordinal))["OPENAI_API_KEY=".Length..];
        placeholder.ShouldStartWith("airlock-placeholder-openaiapikey-");
        env.ShouldContain("SSL_CERT_FILE=/run/airlock/egress/trust-bundle.pem");
        var environs = await ServerHarness.ExecAsync(acme.Operator, id, "bash", "-c",
            $"for f in /proc/[0-9]*/environ; do grep -qa -- '{value}' \"$f\" && echo found-in=$f; grep -qa -- '{placeholder}' \"$f\" && echo placeholder-in=$f; done; echo done");
        environs.ShouldNotContain("found-in=");
        environs.ShouldContain("placeholder-in=/proc/1/environ");
        environs.ShouldContain("done");

        // A new value reaches the running sandbox's next connection.
        await Expect.StatusAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", new { name = "OPENAI_API_KEY", value = rotated, hosts = new[] { destination } }, Ct), 200);
        (await ServerHarness.ExecAsync(acme.Operator, id, SandboxRequests.BearerGet(provider.Port, "OPENAI_API_KEY"))).ShouldContain(FakeHttpsProvider.Answer);
        provider.Requests.Last().Header("authorization").ShouldBe("Bearer " + rotated);

        // Nothing answers with a value: the sandbox (its secrets by name), its egress records, the audit log; another tenant sees nothing.
        var view = await (await acme.Viewer.GetAsync($"/v1/sandboxes/{id}", Ct)).Content.ReadAsStringAsync(Ct);
        JsonNode.Parse(view)!["secrets"]!.AsArray().Count.ShouldBe(1);
        await Expect.ProblemAsync(await other.Admin.GetAsync($"/v1/sandboxes/{id}", Ct), 404);
        await Expect.ProblemAsync(await other.Admin.GetAsync("/v1/tenants/acme/secrets", Ct), 404);
        var records = await Poll.UntilAsync(
            async () => await (await acme.Viewer.GetAsync($"/v1/sandboxes/{id}/egress?limit=500", Ct)).Content.ReadAsStringAsync(Ct),
            r => JsonNode.Parse(r)!["items"]!.AsArray().Count(i => i!["port"]!.GetValue<int>() == provider.Port) >= 2,
            "both requests' records");
        var audit = await (await server.Admin.GetAsync("/v1/audit?tenant=acme", Ct)).Content.ReadAsStringAsync(Ct);
        JsonNode.Parse(audit)!["entries"]!.AsArray().ShouldContain(e => e!["action"]!.GetValue<string>() == "POST /v1/sandboxes"
            && e["target"]!.GetValue<string>() == $"id={id} secrets=OPENAI_API_KEY");

        // Deleted: the proxy no longer opens that host's tunnels, so the sandbox meets the provider's own certificate,
        // which it does not trust, and sends nothing.
        await Expect.StatusAsync(await acme.Admin.DeleteAsync("/v1/tenants/acme/secrets/OPENAI_API_KEY", Ct), 204);
        (await ServerHarness.ExecAsync(acme.Operator, id, SandboxRequests.BearerGet(provider.Port, "OPENAI_API_KEY"))).ShouldNotContain(FakeHttpsProvider.Answer);
        provider.Requests.Count.ShouldBe(2);

        foreach (var text in new[] { view, records, audit, env, await StoredText.DumpAsync(server.Database), logs.All })
        {
            text.ShouldNotContain(value);
            text.ShouldNotContain(rotated);
        }

        await Expect.StatusAsync(await acme.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        Directory.Exists(Path.Combine(server.Options.RuntimeDirectory!, id)).ShouldBeFalse();
    }

    [Theory(Timeout = 300_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_restored_sandbox_keeps_its_placeholder_and_its_secret_still_reaches_the_provider(string engine)
    {
        using var root = new TestCertificateAuthority();
        using var provider = new FakeHttpsProvider(IPAddress.Loopback, root.Issue("127.0.0.1"));
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine, configure: o => o with { UpstreamRoots = root.Roots });
        var acme = await server.NewTenantAsync("acme");
        var value = "sk-restore-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var destination = $"127.0.0.1:{provider.Port}";
        await Expect.StatusAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/acme/egress", new { allow = new[] { "127.0.0.1" } }, Ct), 200);
        await Expect.StatusAsync(await acme.Admin.PostAsJsonAsync("/v1/tenants/acme/secrets", new { name = "TOKEN", value, hosts = new[] { destination }, inject = "bearer" }, Ct), 201);
        var id = (await Expect.JsonAsync(await acme.Operator.PostAsJsonAsync("/v1/sandboxes",
            SecretRoutesTests.WithSecrets("kept", new { mode = "allowlist", allow = new[] { destination } }, ["TOKEN"]), Ct), 201))["id"]!.GetValue<string>();
        var placeholder = (await ServerHarness.ExecAsync(acme.Operator, id, "printenv", "TOKEN")).Trim();

        var snapshot = (await Expect.JsonAsync(await acme.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/snapshots", new { name = "before" }, Ct), 201))["id"]!.GetValue<string>();
        await Expect.StatusAsync(await acme.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/restore", new { snapshot }, Ct), 200);

        // One relay in front of the command (the snapshot's entrypoint is the relay), the same placeholder, the same authority.
        (await ServerHarness.ExecAsync(acme.Operator, id, "printenv", "TOKEN")).Trim().ShouldBe(placeholder);
        (await ServerHarness.ExecAsync(acme.Operator, id, SandboxRequests.BearerGet(provider.Port, "TOKEN"))).ShouldContain(FakeHttpsProvider.Answer);
        provider.Requests.ShouldHaveSingleItem().Header("authorization").ShouldBe("Bearer " + value);

        await Expect.StatusAsync(await acme.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        await Expect.StatusAsync(await acme.Operator.DeleteAsync($"/v1/snapshots/{snapshot}", Ct), 204);
    }
}
