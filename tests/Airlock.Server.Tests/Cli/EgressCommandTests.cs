using System.Net;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>
/// The real <c>airlock</c> client's network commands against the real <c>airlock serve</c> (Docker): <c>sandbox create
/// --network/--allow</c>, <c>sandbox egress</c>, <c>sandbox network</c>, <c>tenant egress</c> and <c>tenant create
/// --egress-...</c>. What the server does with a policy is tested on both engines through the API; here it is what a
/// person or a script sees: tables, --json that parses, exit codes and the server's messages.
/// </summary>
public sealed class EgressCommandTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private ServeProcess Server => fixture.Server;

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

    [Fact(Timeout = 120_000)]
    public async Task An_allowlist_made_with_network_and_allow_shows_in_get_and_allow_without_allowlist_is_exit_2()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("allow");

        foreach (var network in new[] { Array.Empty<string>(), ["--network", "open"] })
        {
            var refused = await Server.RunAsync(op, ["sandbox", "create", "nope", "--image", TestEngines.BaseImage, .. network, "--allow", "example.com", "--", "sleep", "infinity"]);
            refused.Code.ShouldBe(2, refused.Stderr);
            refused.Stderr.ShouldContain("--allow needs --network allowlist");
            refused.Stderr.ShouldContain("add --network allowlist");
        }

        var created = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "fenced", "--image", TestEngines.BaseImage,
            "--network", "allowlist", "--allow", "example.com", "--json", "--", "sleep", "infinity")))!;
        created["network"]!.ToJsonString().ShouldBe("""{"mode":"allowlist","allow":["example.com"]}""");

        var shown = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "get", "fenced", "--json")))!;
        shown["network"]!["mode"]!.GetValue<string>().ShouldBe("allowlist");
        shown["network"]!["allow"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["example.com"]);
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "get", "fenced"))).ShouldContain("allowlist: example.com");

        // A bad destination is the server's 400, naming it by its place.
        var bad = await Server.RunAsync(op, "sandbox", "create", "bad", "--image", TestEngines.BaseImage, "--network", "allowlist", "--allow", "https://x.org", "--", "sleep", "infinity");
        bad.Code.ShouldBe(2, bad.Stderr);
        bad.Stderr.ShouldContain("sandbox.network.allow[0]");

        // Nothing to record yet, and a sandbox without a proxy says why it has no records.
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "egress", "fenced", "--json"))).Trim().ShouldBe("[]");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "offline", "--image", TestEngines.BaseImage, "--", "sleep", "infinity"));
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "egress", "offline"))).ShouldContain("its network is none");
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "get", "offline"))).ShouldContain("network:");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "delete", "fenced", "offline"));
    }

    [Fact(Timeout = 180_000)]
    public async Task Egress_lists_a_refused_connection_as_a_table_and_json_and_sandbox_network_lets_it_through()
    {
        var (tenant, op, viewer) = await Server.NewTenantWithKeysAsync("records");
        using var web = new TinyHttpServer(IPAddress.Loopback, "reached-body");

        // Loopback needs an address rule, and an address rule needs the ceiling to cover it: the system admin's part.
        await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "egress", tenant, "--allow", "127.0.0.1"));
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "box", "--image", TestEngines.BaseImage, "--network", "allowlist", "--allow", "example.com", "--", "sleep", "infinity"));

        var refused = await Server.RunAsync(op, ["sandbox", "exec", "box", "--", .. Get(web.Port)]);
        refused.Stdout.ShouldContain("403 Forbidden");
        web.Requests.ShouldBe(0);

        // Records are written off the proxy's path: they show up shortly after the connection ends.
        var destination = $"127.0.0.1:{web.Port}";
        var records = await Poll.UntilAsync(
            async () => JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(viewer, "sandbox", "egress", "box", "--json")))!.AsArray(),
            r => r.Any(n => n!["port"]!.GetValue<int>() == web.Port), "the refused connection's record");
        var record = records.Single(n => n!["port"]!.GetValue<int>() == web.Port)!;
        record["host"]!.GetValue<string>().ShouldBe("127.0.0.1");
        record["verdict"]!.GetValue<string>().ShouldBe("refused");
        record["protocol"]!.GetValue<string>().ShouldBe("http");

        var table = await ServeProcess.Ok(Server.RunAsync(viewer, "sandbox", "egress", "box"));
        table.ShouldContain("DESTINATION");
        table.ShouldContain(destination);
        table.ShouldContain("refused");
        table.ShouldContain(record["reason"]!.GetValue<string>());

        // Widening: the whole new list, printed back; the running sandbox reaches the destination at once.
        var widened = await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "network", "box", "--allow", "example.com", "--allow", destination));
        widened.ShouldContain("may now reach");
        widened.ShouldContain(destination);
        (await ServeProcess.Ok(Server.RunAsync(op, ["sandbox", "exec", "box", "--", .. Get(web.Port)]))).ShouldContain("reached-body");
        web.Requests.ShouldBe(1);
        var shown = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "get", "box", "--json")))!;
        shown["network"]!["allow"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["example.com", destination]);

        var allowed = await Poll.UntilAsync(
            async () => JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(viewer, "sandbox", "egress", "box", "--tail", "1", "--json")))!.AsArray(),
            r => r.Count == 1 && r[0]!["verdict"]!.GetValue<string>() == "allowed", "the allowed connection's record, the newest");
        allowed[0]!["port"]!.GetValue<int>().ShouldBe(web.Port);
        allowed[0]!["bytesDown"]!.GetValue<long>().ShouldBeGreaterThan(0);
        JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(viewer, "sandbox", "egress", "box", "--limit", "1", "--json")))!.AsArray().Count.ShouldBe(1);

        // Beyond the ceiling: the server's 403 naming the destination and who widens it; a viewer may not change it at all.
        var beyond = await Server.RunAsync(op, "sandbox", "network", "box", "--allow", "10.0.0.1");
        beyond.Code.ShouldBe(2, beyond.Stderr);
        beyond.Stderr.ShouldContain("'10.0.0.1' is beyond this tenant's egress ceiling");
        beyond.Stderr.ShouldContain("ask the system admin to widen it: airlock tenant egress");
        (await Server.RunAsync(viewer, "sandbox", "network", "box", "--allow", "example.com")).Stderr.ShouldContain("403");
        var empty = await Server.RunAsync(op, "sandbox", "network", "box");
        empty.Code.ShouldBe(2);
        empty.Stderr.ShouldContain("--allow");
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "network", "box", "--no-allow"))).ShouldContain("may now reach nothing");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "delete", "box"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Tenant_egress_round_trips_a_ceiling_a_create_beyond_it_is_refused_and_a_non_admin_put_is_the_servers_403()
    {
        var (tenant, op, _) = await Server.NewTenantWithKeysAsync("ceiling");

        var initial = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "egress", tenant, "--json")))!;
        initial.ToJsonString().ShouldBe("""{"allow":[],"open":true}""");

        var set = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "egress", tenant, "--no-open", "--allow", "github.com", "--allow", "*.npmjs.org", "--json")))!;
        set.ToJsonString().ShouldBe("""{"allow":["github.com","*.npmjs.org"],"open":false}""");
        var shown = await ServeProcess.Ok(Server.RunAsync(op, "tenant", "egress", tenant));
        shown.ShouldContain("github.com, *.npmjs.org");
        shown.ShouldMatch(@"open:\s+no");
        (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "get", tenant))).ShouldContain("open: no; allow: github.com, *.npmjs.org");

        // The ceiling holds for creates: open is refused, naming the mode and the endpoint that widens it.
        var open = await Server.RunAsync(op, "sandbox", "create", "wide", "--image", TestEngines.BaseImage, "--network", "bridge", "--", "sleep", "infinity");
        open.Code.ShouldBe(2, open.Stderr);
        open.Stderr.ShouldContain("'open' is not allowed for this tenant");
        open.Stderr.ShouldContain("--open for open");

        // Options left out keep their value; --no-allow empties the list.
        JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "egress", tenant, "--open", "--json")))!
            .ToJsonString().ShouldBe("""{"allow":["github.com","*.npmjs.org"],"open":true}""");
        JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "egress", tenant, "--no-allow", "--json")))!
            .ToJsonString().ShouldBe("""{"allow":[],"open":true}""");

        var notAdmin = await Server.RunAsync(op, "tenant", "egress", tenant, "--allow", "evil.com");
        notAdmin.Code.ShouldBe(2, notAdmin.Stderr);
        notAdmin.Stderr.ShouldContain($"PUT /v1/tenants/{tenant}/egress (403)");
        notAdmin.Stderr.ShouldContain("system admin key");

        var both = await Server.RunAsync(Server.BootstrapKey, "tenant", "egress", tenant, "--open", "--no-open");
        both.Code.ShouldBe(2);
        both.Stderr.ShouldContain("--open and --no-open both given");

        var fenced = Server.NewTenantId("fenced");
        var created = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "create", fenced, "--no-egress-open", "--egress-allow", "github.com", "--json")))!;
        created["egress"]!.ToJsonString().ShouldBe("""{"allow":["github.com"],"open":false}""");
        await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "delete", fenced));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("sandbox", "egress")]
    [InlineData("sandbox", "network")]
    [InlineData("tenant", "egress")]
    public async Task Help_shows_examples(params string[] command)
    {
        var (code, stdout, _) = await Server.RunAsync(null, [.. command, "--help"]);

        code.ShouldBe(0);
        stdout.ShouldContain("Examples:");
        stdout.ShouldContain($"airlock {command[0]} {command[1]} ");
    }
}
