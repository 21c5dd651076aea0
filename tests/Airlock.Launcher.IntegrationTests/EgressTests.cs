using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 12: a launch in <c>allowlist</c> mode reaches only what is allowed, through the policy point the airlock process
/// runs outside the sandbox, on both engines at both levels. Web servers of the test's own stand in for the internet;
/// being on the host's loopback, they are refused unless a rule names their exact address.
/// </summary>
public sealed class EgressTests(SharedNamespaces shared)
{
    /// <summary>A plain HTTP GET through the proxy variables the sandbox is given (no curl in the base image: bash's /dev/tcp).</summary>
    private static string Get(int port) =>
        $"exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'GET http://127.0.0.1:{port}/ HTTP/1.1\\r\\nHost: 127.0.0.1:{port}\\r\\n\\r\\n' >&3 && cat <&3";

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Only_the_allowed_destination_is_reached_and_a_refusal_says_how_to_allow_it(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        using var allowed = new TinyHttpServer(IPAddress.Loopback, "allowed-body");
        using var denied = new TinyHttpServer(IPAddress.Loopback, "denied-body");

        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "--network", "allowlist", "--allow", $"127.0.0.1:{allowed.Port}",
            "bash", "-c", $"({Get(allowed.Port)}); echo; ({Get(denied.Port)})")).ShouldSucceed();

        result.Stdout.ShouldContain("allowed-body", Case.Sensitive, result.ToString());
        result.Stdout.ShouldContain("403 Forbidden", Case.Sensitive, result.ToString());
        result.Stdout.ShouldContain($"--allow 127.0.0.1", Case.Sensitive, "the refusal says how to allow it: " + result);
        result.Stdout.ShouldNotContain("denied-body", Case.Sensitive, result.ToString());
        (allowed.Requests, denied.Requests).ShouldBe((1, 0));

        var records = EgressRecords(ws, ns.Name);
        records.ShouldContain(r => r["port"]!.GetValue<int>() == allowed.Port && r["verdict"]!.GetValue<string>() == "allowed" && r["bytesDown"]!.GetValue<long>() > 0);
        records.ShouldContain(r => r["port"]!.GetValue<int>() == denied.Port && r["verdict"]!.GetValue<string>() == "refused");
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Without_the_proxy_there_is_no_way_out(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        // Listening on every address of the host: a bridged sandbox reaches it at the host's own address.
        using var server = new TinyHttpServer(IPAddress.Any, "direct-body");
        var hostAddress = HostAddress();

        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "--network", "allowlist", "--allow", $"{hostAddress}:{server.Port}", "bash", "-c",
            $"(exec 3<>/dev/tcp/{hostAddress}/{server.Port}) 2>/dev/null && echo direct=reached || echo direct=unreachable; " +
            "getent hosts deb.debian.org >/dev/null && echo dns=answered || echo dns=none; " +
            "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain("direct=unreachable", "even to an allowed destination, a tool that ignores the proxy gets nothing: " + result);
        lines.ShouldContain("dns=none", result.ToString());
        lines.Where(l => !l.Contains('=', StringComparison.Ordinal)).ShouldBe(["lo"], "the sandbox has no interface but loopback: " + result);
        server.Requests.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_namespaces_network_config_is_used_and_shown_by_dry_run(string engine)
    {
        await using var ws = Workspace.Create(engine);
        using var server = new TinyHttpServer(IPAddress.Loopback, "configured-body");
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine), $"network: {{ mode: allowlist, allow: [\"127.0.0.1:{server.Port}\", \"*.example.org\"] }}");

        var dry = (await ws.AirlockAsync(ns, "--dry-run", "--allow", "example.com", "true")).ShouldSucceed();
        var launch = (await ws.AirlockAsync(ns, "bash", "-c", Get(server.Port))).ShouldSucceed();

        var network = JsonNode.Parse(dry.Stdout)!["spec"]!["network"]!;
        network["mode"]!.GetValue<string>().ShouldBe("allowlist");
        network["allow"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe([$"127.0.0.1:{server.Port}", "*.example.org", "example.com"]);
        launch.Stdout.ShouldContain("configured-body", Case.Sensitive, launch.ToString());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Bad_network_settings_are_refused_naming_the_field_or_flag_and_nothing_starts(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var open = ws.BorrowNamespace(await shared.GetAsync(engine));
        await using var badConfig = Workspace.Create(engine);
        var ns = badConfig.BorrowNamespace(await shared.GetAsync(engine), "network: { mode: allowlist, allow: [\"*.\", \"ok.example.com\"] }");
        var before = await StateSnapshot.TakeAsync(ws, open);

        var badEntry = await badConfig.AirlockAsync(ns, "true");
        var badFlag = await ws.AirlockAsync(open, "--network", "allowlist", "--allow", "bad host", "true");
        var badMode = await ws.AirlockAsync(open, "--network", "everything", "true");
        var allowWithoutAllowlist = await ws.AirlockAsync(open, "--allow", "example.com", "true");

        badEntry.ShouldBeUserError($"namespaces.{ns}.network.allow[0]", "*.");
        badFlag.ShouldBeUserError("--allow 'bad host'");
        badMode.ShouldBeUserError("--network", "'everything'", "open, allowlist, none");
        allowWithoutAllowlist.ShouldBeUserError("--allow", "--network allowlist");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, open), "a refused launch");
    }

    /// <summary>The records the namespace's sessions left, one JSON object per connection.</summary>
    private static List<JsonNode> EgressRecords(Workspace ws, string ns)
    {
        var dir = Path.Combine(ws.AirlockHome, "state", "egress", ns);
        return Directory.EnumerateFiles(dir, "*.jsonl")
            .SelectMany(File.ReadAllLines)
            .Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!)
            .ToList();
    }

    private static string HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToString();
}
