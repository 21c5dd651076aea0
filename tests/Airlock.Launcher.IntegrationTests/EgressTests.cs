using System.Net;
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

    [Fact]
    public async Task On_rootless_podman_a_new_namespace_reaches_only_the_allowed_destination()
    {
        // A user's own podman (keep-id user namespace): the policy point runs as that user, its socket in their runtime dir.
        await using var ws = Workspace.Create(Engines.Podman, asTestUser: true);
        var ns = await ws.CreateNamespaceAsync();
        using var allowed = new TinyHttpServer(IPAddress.Loopback, "allowed-body");
        using var denied = new TinyHttpServer(IPAddress.Loopback, "denied-body");

        var result = (await ws.AirlockAsync(ns, "--allow", $"127.0.0.1:{allowed.Port}", "bash", "-c",
            $"({Get(allowed.Port)}); echo; ({Get(denied.Port)}); echo; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")).ShouldSucceed();

        result.Stdout.ShouldContain("allowed-body", Case.Sensitive, result.ToString());
        result.Stdout.ShouldContain("403 Forbidden", Case.Sensitive, result.ToString());
        Engines.Lines(result.Stdout).ShouldContain("lo", result.ToString());
        Engines.Lines(result.Stdout).ShouldNotContain(l => l.StartsWith("eth", StringComparison.Ordinal) || l.StartsWith("tap", StringComparison.Ordinal), result.ToString());
        (allowed.Requests, denied.Requests).ShouldBe((1, 0));
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Without_the_proxy_there_is_no_way_out(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        // Listening on every address of the host: a bridged sandbox reaches it at the host's own address.
        using var server = new TinyHttpServer(IPAddress.Any, "direct-body");
        var hostAddress = AddressServer.HostAddress();

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
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Every_way_around_the_proxy_and_every_trick_through_it_fails(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        using var local = new TinyHttpServer(IPAddress.Loopback, "local-body");
        // Each attempt prints NAME=ok when it got through: none may. perl (in the base image) for UDP, IPv6 and raw sockets.
        await File.WriteAllTextAsync(Path.Combine(ws.Project, "bypass.pl"), """
            use IO::Socket::INET; use IO::Socket::IP;
            my $udp = IO::Socket::INET->new(PeerAddr => "8.8.8.8", PeerPort => 53, Proto => "udp");
            print "udp-outside=", ($udp && defined $udp->send("x") ? "ok" : "failed"), "\n";
            my $v6 = IO::Socket::IP->new(PeerHost => "2001:4860:4860::8888", PeerPort => 53, Proto => "tcp", Timeout => 3);
            print "ipv6=", ($v6 ? "ok" : "failed"), "\n";
            print "raw=", (socket(my $raw, 2, 3, 1) ? "ok" : "failed"), "\n";
            my $meta = IO::Socket::INET->new(PeerAddr => "169.254.169.254", PeerPort => 80, Proto => "tcp", Timeout => 3);
            print "metadata-direct=", ($meta ? "ok" : "failed"), "\n";
            """, TestContext.Current.CancellationToken);
        // Through the proxy: SOCKS5 to a name not allowed; the metadata address; localhost, allowed by name, which resolves
        // to loopback (the DNS-rebinding defence refuses it); and a Host header naming something else than the request.
        await File.WriteAllTextAsync(Path.Combine(ws.Project, "bypass.sh"), $$"""
            perl bypass.pl 2>/dev/null
            exec 4<>/dev/tcp/127.0.0.1/3128
            printf '\x05\x01\x00' >&4; head -c 2 <&4 >/dev/null
            printf '\x05\x01\x00\x03\x0bdenied.test\x00\x50' >&4
            echo "socks-reply=$(head -c 2 <&4 | od -An -tx1 | tr -d ' ')"
            exec 5<>/dev/tcp/127.0.0.1/3128
            printf 'GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n' >&5
            echo "metadata-proxy=$(head -n 1 <&5)"
            exec 6<>/dev/tcp/127.0.0.1/3128
            printf 'GET http://localhost:{{local.Port}}/ HTTP/1.1\r\nHost: localhost:{{local.Port}}\r\n\r\n' >&6
            echo "rebinding=$(head -n 1 <&6)"
            exec 7<>/dev/tcp/127.0.0.1/3128
            printf 'GET http://localhost:{{local.Port}}/ HTTP/1.1\r\nHost: 127.0.0.1:{{local.Port}}\r\n\r\n' >&7
            echo "spoofed-host=$(head -n 1 <&7)"
            """, TestContext.Current.CancellationToken);

        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "--network", "allowlist", "--allow", "localhost", "bash", "bypass.sh")).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain("udp-outside=failed", result.ToString());
        lines.ShouldContain("ipv6=failed", result.ToString());
        lines.ShouldContain("raw=failed", result.ToString());
        lines.ShouldContain("metadata-direct=failed", result.ToString());
        lines.ShouldContain("socks-reply=0502", "SOCKS5 reply 2: not allowed by ruleset: " + result);
        lines.ShouldContain(l => l.StartsWith("metadata-proxy=HTTP/1.1 403", StringComparison.Ordinal), result.ToString());
        lines.ShouldContain(l => l.StartsWith("rebinding=HTTP/1.1 403", StringComparison.Ordinal), result.ToString());
        lines.ShouldContain(l => l.StartsWith("spoofed-host=HTTP/1.1 4", StringComparison.Ordinal), result.ToString());
        local.Requests.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task A_granted_host_port_is_reached_at_the_host_service_name_and_no_other_port_of_the_host(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        using var granted = new TinyHttpServer(IPAddress.Loopback, "model-server-body");
        using var other = new TinyHttpServer(IPAddress.Loopback, "other-body");
        // The documented contract, as a user writes it (this project drives the binary and references none of its code).
        const string name = "host.airlock.internal";

        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "--network", "allowlist", "--host-port", $"{granted.Port}", "bash", "-c",
            $"(exec 3<>/dev/tcp/{name}/{granted.Port} && printf 'GET / HTTP/1.1\r\nHost: {name}\r\n\r\n' >&3 && cat <&3); echo; " +
            $"(exec 3<>/dev/tcp/{name}/{other.Port}) 2>/dev/null && echo other-direct=reached || echo other-direct=unreachable; " +
            $"echo \"no_proxy=$no_proxy\"; ({Get(other.Port)})")).ShouldSucceed();

        result.Stdout.ShouldContain("model-server-body", Case.Sensitive, result.ToString());
        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain("other-direct=unreachable", result.ToString());
        lines.ShouldContain(l => l.StartsWith("no_proxy=", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal), "tools skip the proxy for the host service: " + result);
        result.Stdout.ShouldContain("403 Forbidden", Case.Sensitive, "a port not granted is refused through the proxy: " + result);
        (granted.Requests, other.Requests).ShouldBe((1, 0));
        EgressRecords(ws, ns.Name).ShouldContain(r => r["port"]!.GetValue<int>() == granted.Port && r["protocol"]!.GetValue<string>() == "hostport" && r["verdict"]!.GetValue<string>() == "allowed");
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task The_relay_and_the_egress_socket_cannot_be_changed_from_inside(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        const string dir = "/run/airlock/egress";
        const string relay = "/run/airlock/relay";

        // Each attempt prints NAME=ok when it got through: none may. The sandbox's user owns nothing there, but a
        // read-only mount refuses even root; the probe after the attempts shows the proxy still answers.
        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "--network", "allowlist", "bash", "-c",
            $"touch {dir}/planted 2>/dev/null && echo plant=ok || echo plant=failed; " +
            $"rm -f {dir}/proxy.sock 2>/dev/null && [ ! -e {dir}/proxy.sock ] && echo unlink=ok || echo unlink=failed; " +
            $"( : > {relay} ) 2>/dev/null && echo overwrite-relay=ok || echo overwrite-relay=failed; " +
            $"chmod 777 {relay} 2>/dev/null && echo chmod-relay=ok || echo chmod-relay=failed; " +
            $"mv {dir} /tmp/moved 2>/dev/null && echo move=ok || echo move=failed; " +
            "exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'GET http://denied.test/ HTTP/1.1\r\nHost: denied.test\r\n\r\n' >&3 && echo \"proxy=$(head -n 1 <&3)\"")).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain("plant=failed", result.ToString());
        lines.ShouldContain("unlink=failed", result.ToString());
        lines.ShouldContain("overwrite-relay=failed", result.ToString());
        lines.ShouldContain("chmod-relay=failed", result.ToString());
        lines.ShouldContain("move=failed", result.ToString());
        lines.ShouldContain(l => l.StartsWith("proxy=HTTP/1.1 403", StringComparison.Ordinal), result.ToString());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Git_clones_over_https_from_an_allowed_host_and_fails_clearly_from_another(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        using var allowed = new GitHttpsServer(AddressServer.HostAddress());
        using var other = new GitHttpsServer(AddressServer.HostAddress());
        await File.WriteAllTextAsync(Path.Combine(ws.Project, "git-ca.pem"), allowed.CertificatePem + other.CertificatePem, TestContext.Current.CancellationToken);
        string Clone(GitHttpsServer server, string into) =>
            $"git -c http.sslCAInfo=git-ca.pem clone -q {server.Url} {into} && git -C {into} log --format=%s";

        var cloned = await ws.AirlockAsync(ns.Name, "--network", "allowlist", "--allow", allowed.Destination, "bash", "-c", Clone(allowed, "cloned"));
        var refused = await ws.AirlockAsync(ns.Name, "--network", "allowlist", "--allow", allowed.Destination, "bash", "-c", Clone(other, "refused"));

        cloned.ShouldSucceed().Stdout.ShouldContain(GitHttpsServer.CommitMessage, Case.Sensitive, cloned.ToString());
        File.Exists(Path.Combine(ws.Project, "cloned", "README")).ShouldBeTrue();
        refused.ExitCode.ShouldNotBe(0, refused.ToString());
        refused.Stderr.ShouldContain("403", Case.Sensitive, "git says the proxy refused it: " + refused);
        refused.Stderr.ShouldContain($"--allow {other.Address}", Case.Sensitive, "airlock's notice says how to allow it: " + refused);
        Directory.Exists(Path.Combine(ws.Project, "refused")).ShouldBeFalse();
        other.Requests.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Egress_allow_widens_a_running_sessions_policy_without_restarting_it(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        using var server = new TinyHttpServer(IPAddress.Loopback, "late-body");
        var refused = Path.Combine(ws.Project, "it-refused");
        // Asks until it is let through; the first refusal is the test's cue. The sandbox sees only the proxy's socket:
        // the one that widens its policy is outside what is mounted.
        var script = $"ls -A /run/airlock/egress | sed 's/^/mounted=/'; " +
            $"while true; do out=$({Get(server.Port)}); case \"$out\" in *late-body*) echo reached; exit 0;; esac; touch {refused}; sleep 0.2; done";
        var running = ws.AirlockAsync(ns.Name, "--network", "allowlist", "bash", "-c", script);
        for (var i = 0; i < 600 && !File.Exists(refused) && !running.IsCompleted; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var sessions = JsonNode.Parse((await ws.RunAsync(["list", "sessions", "--json"])).ShouldSucceed().Stdout)!.AsArray();
        var session = sessions.Single(s => s!["project"]!.GetValue<string>() == ws.Project)!["session"]!.GetValue<string>();
        var bad = await ws.RunAsync(["egress", "allow", session, "bad host"]);
        var unknown = await ws.RunAsync(["egress", "allow", "airlock-nope-00000000", $"127.0.0.1:{server.Port}"]);
        var widened = (await ws.RunAsync(["egress", "allow", session, $"127.0.0.1:{server.Port}"])).ShouldSucceed();
        var result = (await running).ShouldSucceed();

        bad.ShouldBeUserError("DEST 'bad host'");
        unknown.ShouldBeUserError("no running allowlist session airlock-nope-00000000");
        widened.Stdout.ShouldContain($"may now reach 127.0.0.1:{server.Port}");
        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain("reached", result.ToString());
        lines.Where(l => l.StartsWith("mounted=", StringComparison.Ordinal)).ShouldBe(["mounted=proxy.sock"], result.ToString());
        server.Requests.ShouldBe(1);
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
}
