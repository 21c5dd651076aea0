using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Egress;

/// <summary>
/// Tenants never share a network, on both engines: an open sandbox sits behind its own network guard, which refuses
/// every sandbox subnet both ways, so two tenants' open sandboxes on the engine's one bridge cannot reach each other;
/// an allowlist sandbox has no interface, and its proxy refuses private addresses no rule names.
/// </summary>
public sealed class NetworkSeparationTests
{
    private const int Port = 8080;

    /// <summary>Answers every connection on <see cref="Port"/> with one line (perl is in the base image).</summary>
    private static readonly string[] Listener =
    [
        "perl", "-MIO::Socket::INET", "-e",
        $"my $s = IO::Socket::INET->new(LocalPort => {Port}, Listen => 5, ReuseAddr => 1) or die; while (my $c = $s->accept) {{ print $c \"secret\\n\"; close $c }}",
    ];

    /// <summary>Tries a TCP connection to ADDRESS:PORT from inside; prints reached or blocked.</summary>
    private static string[] Probe(string address) =>
        ["bash", "-c", $"if timeout 5 bash -c 'exec 3<>/dev/tcp/{address}/{Port} && head -n 1 <&3' 2>/dev/null; then echo reached; else echo blocked; fi"];

    /// <summary>The listener's own view, which must work: the probe's "blocked" then means the wall, not a dead listener.</summary>
    private static readonly string[] SelfCheck =
        ["bash", "-c", $"for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/{Port}) 2>/dev/null && break; sleep 0.1; done; exec 3<>/dev/tcp/127.0.0.1/{Port} && head -n 1 <&3"];

    private static async Task<(string Id, string Address)> ListeningAsync(ServerHarness server, TestTenant tenant, string name)
    {
        var id = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxOn(name, "bridge", Listener), Ct), 201))["id"]!.GetValue<string>();
        (await ServerHarness.ExecAsync(tenant.Operator, id, SelfCheck)).ShouldContain("secret");
        var guard = await server.Engine.Containers.InspectAsync($"airlock-{id}-guard", Ct);
        var address = guard.NetworkSettings.PrimaryAddress;
        address.ShouldNotBeNullOrEmpty("the guard holds the open sandbox's address on the bridge");
        return (id, address!);
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Two_tenants_open_sandboxes_cannot_reach_each_other(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var a = await server.NewTenantAsync("tenant-a");
        var b = await server.NewTenantAsync("tenant-b");
        var (listener, address) = await ListeningAsync(server, a, "listener");
        var prober = (await Expect.JsonAsync(await b.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxOn("prober", "bridge"), Ct), 201))["id"]!.GetValue<string>();

        (await ServerHarness.ExecAsync(b.Operator, prober, Probe(address))).Trim().ShouldBe("blocked");
        // Nor the other way round, nor from the listener's own tenant: the guard refuses every sandbox subnet.
        var (other, otherAddress) = await ListeningAsync(server, b, "listener-b");
        (await ServerHarness.ExecAsync(a.Operator, listener, Probe(otherAddress))).Trim().ShouldBe("blocked");

        foreach (var (client, id) in new[] { (a.Operator, listener), (b.Operator, prober), (b.Operator, other) })
        {
            await Expect.StatusAsync(await client.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        }

        (await server.ContainerNamesAsync()).ShouldBeEmpty("every guard goes with its sandbox");
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task An_allowlist_sandbox_cannot_reach_another_sandbox(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var (listener, address) = await ListeningAsync(server, tenant, "listener");
        var fenced = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes",
            ServerHarness.SandboxOn("fenced", new { mode = "allowlist", allow = new[] { "example.com" } }), Ct), 201))["id"]!.GetValue<string>();

        var direct = await ServerHarness.ExecAsync(tenant.Operator, fenced, Probe(address));
        var proxied = await ServerHarness.ExecAsync(tenant.Operator, fenced, "bash", "-c",
            "for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/3128) 2>/dev/null && break; sleep 0.1; done; "
            + $"exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'CONNECT {address}:{Port} HTTP/1.1\\r\\nHost: {address}:{Port}\\r\\n\\r\\n' >&3 && head -n 1 <&3");

        direct.Trim().ShouldBe("blocked", "no interface but loopback");
        proxied.ShouldStartWith("HTTP/1.1 403", Case.Sensitive, "a private address no rule names: " + proxied);

        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{fenced}", Ct), 204);
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{listener}", Ct), 204);
    }
}
