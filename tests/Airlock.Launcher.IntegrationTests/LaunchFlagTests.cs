using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>The launch flags of docs/configuration.md, and the namespace settings they layer on, seen from inside.</summary>
public sealed class LaunchFlagTests(SharedNamespaces shared)
{
    /// <summary>Answers one connection on 0.0.0.0:8080 inside the sandbox (perl is in every Debian image), then exits.</summary>
    private static readonly string[] ServeOnce =
    [
        "perl", "-MIO::Socket::INET", "-e",
        "my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => 8080, Listen => 5, ReuseAddr => 1) or die \"listen: $!\"; " +
        "my $c = $s->accept; print $c \"hello-from-sandbox\\n\"; close $c;",
    ];

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Dry_run_prints_the_sandbox_spec_as_json_and_creates_nothing(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        var before = await StateSnapshot.TakeAsync(ws, name);

        var dry = (await ws.AirlockAsync(name, "--dry-run", "-e", "FOO=bar", "--forward", "18080:80", "sh", "-c", "echo hi")).ShouldSucceed();

        var json = JsonNode.Parse(dry.Stdout)!;
        json["session"]!.GetValue<string>().ShouldStartWith($"airlock-{name}-");
        var spec = json["spec"]!;
        spec["image"]!.GetValue<string>().ShouldBe(ns.Image);
        spec["command"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["sh", "-c", "echo hi"]);
        spec["workingDirectory"]!.GetValue<string>().ShouldBe(ws.Project);
        spec["environment"]!["FOO"]!.GetValue<string>().ShouldBe("bar");
        spec["labels"]!["io.airlock.owner"]!.GetValue<string>().ShouldBe("launcher");
        spec["limits"]!["memoryBytes"]!.GetValue<long>().ShouldBe(8L << 30);
        var port = spec["ports"]!.AsArray().Single()!;
        port["hostPort"]!.GetValue<int>().ShouldBe(18080);
        port["containerPort"]!.GetValue<int>().ShouldBe(80);
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, name), "--dry-run");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Dry_run_with_create_builds_nothing(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var name = ws.NewNamespaceName();
        var before = await StateSnapshot.TakeAsync(ws, name);

        var dry = (await ws.AirlockAsync(name, "--create", "base", "--dry-run", "true")).ShouldSucceed();

        JsonNode.Parse(dry.Stdout)!["spec"]!["image"]!.GetValue<string>().ShouldBe(ws.Image(name));
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, name), "--dry-run --create must not create the namespace");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Env_flag_sets_a_value_or_passes_the_hosts(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var result = (await ws.RunAsync(
            [ns.Name, "-e", "GIVEN=literal value", "--env", "FROM_HOST", "sh", "-c", "echo \"$GIVEN|$FROM_HOST|${NOT_FORWARDED-unset}\""],
            env: new Dictionary<string, string?> { ["FROM_HOST"] = "host's value", ["NOT_FORWARDED"] = "secret" })).ShouldSucceed();

        result.Stdout.Trim().ShouldBe("literal value|host's value|unset", "only the variables asked for reach the sandbox");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Config_environment_from_map_file_and_env_reaches_the_sandbox(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        ws.Write("home/.secrets/token", "s3cret-from-file\n");
        var name = ws.BorrowNamespace(ns, """
            environment:
              fromMap: { LITERAL: "from map" }
              fromFile: { TOKEN: ~/.secrets/token }
              fromEnv: { RENAMED: HOST_VAR, ABSENT: NOT_SET_ON_HOST_XYZ }
            """);

        var result = (await ws.RunAsync(
            [name, "sh", "-c", "echo \"$LITERAL|$TOKEN|$RENAMED|${ABSENT-unset}|${HOST_VAR-unset}\""],
            env: new Dictionary<string, string?> { ["HOST_VAR"] = "from host env", ["NOT_SET_ON_HOST_XYZ"] = null })).ShouldSucceed();

        result.Stdout.Trim().ShouldBe("from map|s3cret-from-file|from host env|unset|unset");
        result.Message.ShouldContain("NOT_SET_ON_HOST_XYZ is not set on the host", Case.Sensitive, "an unset fromEnv variable is skipped with a notice");
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Forward_with_an_address_publishes_a_sandbox_port_on_the_host(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        var port = HostNetwork.FreePort();

        // A new namespace is allowlist: no network to publish on, so the relay carries the port in (InboundForward).
        using var session = ws.Start([ns.Name, "--isolation", level, "--forward", $"127.0.0.1:{port}:8080", .. ServeOnce]);
        var reply = await Poll.UntilAsync(() => HostNetwork.TryReadAsync(port), r => r is not null || session.HasExited, $"a reply on 127.0.0.1:{port}");

        reply.ShouldBe("hello-from-sandbox\n", $"airlock exited early with {(session.HasExited ? session.ExitCode : -1)}");
        await session.WaitForExitAsync(TestContext.Current.CancellationToken);
        session.ExitCode.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Forward_without_an_address_binds_host_loopback_only_in_open_mode(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        var port = HostNetwork.FreePort();

        using var session = ws.Start([ns.Name, "--network", "open", "--forward", $"{port}:8080", .. ServeOnce]);
        var container = (await Poll.UntilAsync(
            () => Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}"), c => c.Count == 1 || session.HasExited, "the session's container")).Single();
        // Listed once created, published once started (before that Docker fails, podman prints nothing): ask until it is.
        // The port is published by the session's network guard, which holds the sandbox's network.
        var published = (await Poll.UntilAsync(
            () => Engines.CliAsync(engine, "port", container + "-guard", "8080/tcp"),
            r => (r.ExitCode == 0 && r.Stdout.Trim().Length > 0) || session.HasExited,
            "the published port")).ShouldSucceed();
        var reply = await Poll.UntilAsync(() => HostNetwork.TryReadAsync(port), r => r is not null || session.HasExited, $"a reply on 127.0.0.1:{port}");

        Engines.Lines(published.Stdout).ShouldBe([$"127.0.0.1:{port}"]);
        reply.ShouldBe("hello-from-sandbox\n");
        await session.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Forwards_in_allowlist_mode_serve_many_connections_and_only_on_the_address_asked(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        var port = HostNetwork.FreePort();
        string[] serveFive =
        [
            "perl", "-MIO::Socket::INET", "-e",
            "my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 8080, Listen => 5, ReuseAddr => 1) or die \"listen: $!\"; " +
            "for my $i (1..5) { my $c = $s->accept; print $c \"reply-$i\\n\"; close $c; }",
        ];

        using var session = ws.Start([ns.Name, "--forward", $"{port}:8080", .. serveFive]);
        var replies = new List<string?>
        {
            await Poll.UntilAsync(() => HostNetwork.TryReadAsync(port), r => r is not null || session.HasExited, $"a reply on 127.0.0.1:{port}"),
        };
        // Not on the host's other addresses: a forward without one binds loopback only (a connection there is refused).
        var lan = await Should.ThrowAsync<System.Net.Sockets.SocketException>(async () =>
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(AddressServer.HostAddress(), port, TestContext.Current.CancellationToken);
        });
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await HostNetwork.TryReadAsync(port));
        }

        replies.ShouldBe(["reply-1\n", "reply-2\n", "reply-3\n", "reply-4\n", "reply-5\n"], "a service inside on 127.0.0.1 is reached, connection after connection");
        lan.SocketErrorCode.ShouldBe(System.Net.Sockets.SocketError.ConnectionRefused);
        await session.WaitForExitAsync(TestContext.Current.CancellationToken);
        session.ExitCode.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Volume_flag_follows_the_home_rules_and_ro_makes_it_read_only(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        ws.Write("home/data/in-home.txt", "home data");
        var elsewhere = ws.Write("elsewhere/abs.txt", "absolute data");

        var result = await ws.AirlockAsync(
            name, "-v", "~/data", "-v", "~/data:~/renamed:ro", "--volume", $"{Path.GetDirectoryName(elsewhere)}:/srv/abs",
            "sh", "-c",
            "cat ~/data/in-home.txt; echo; cat ~/renamed/in-home.txt; echo; cat /srv/abs/abs.txt; echo; " +
            "echo rw > ~/data/written && echo wrote-rw; echo ro > ~/renamed/written 2>/dev/null || echo ro-refused");

        Engines.Lines(result.ShouldSucceed().Stdout).ShouldBe(["home data", "home data", "absolute data", "wrote-rw", "ro-refused"]);
        File.ReadAllText(Path.Combine(ws.Home, "data", "written")).ShouldBe("rw\n");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Command_resolution_is_positional_then_command_flag_then_config_then_image(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var configured = ws.BorrowNamespace(ns, "command: echo from-config");
        var plain = ws.BorrowNamespace(ns);

        var fromConfig = (await ws.RunAsync([configured], stdin: "")).ShouldSucceed();
        var fromFlag = (await ws.AirlockAsync(configured, "--command", "sh -c 'echo \"from flag\"'")).ShouldSucceed();
        var positional = (await ws.AirlockAsync(configured, "--command", "echo from-flag", "echo", "positional")).ShouldSucceed();
        var fromImage = (await ws.RunAsync([plain], stdin: "echo \"image default: $0\"\n")).ShouldSucceed();

        fromConfig.Stdout.Trim().ShouldBe("from-config");
        fromFlag.Stdout.Trim().ShouldBe("from flag");
        positional.Stdout.Trim().ShouldBe("positional");
        fromImage.Stdout.Trim().ShouldBe("image default: bash", "the base template's CMD is bash -l");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Image_flag_runs_another_image_for_one_launch(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        const string probe = "test -e /usr/local/lib/airlock/airlock-user.sh && echo namespace-image || echo other-image";

        var usual = (await ws.AirlockAsync(ns.Name, "sh", "-c", probe)).ShouldSucceed();
        var other = (await ws.AirlockAsync(ns.Name, "--image", Engines.BaseImage, "sh", "-c", probe)).ShouldSucceed();

        usual.Stdout.Trim().ShouldBe("namespace-image");
        other.Stdout.Trim().ShouldBe("other-image");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Host_port_makes_exactly_that_host_loopback_port_reachable(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var asked = new LoopbackServer("hello-from-host");
        await using var notAsked = new LoopbackServer("must-not-be-reachable");

        var result = (await ws.AirlockAsync(
            ns.Name, "--host-port", asked.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "bash", "-c",
            $"exec 3<>/dev/tcp/host.airlock.internal/{asked.Port} && cat <&3; " +
            $"(exec 4<>/dev/tcp/host.airlock.internal/{notAsked.Port} && cat <&4) 2>/dev/null || echo other-port-closed")).ShouldSucceed();

        Engines.Lines(result.Stdout).ShouldBe(["hello-from-host", "other-port-closed"]);
        notAsked.Connections.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Without_host_port_the_host_name_does_not_exist(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c", "getent hosts host.airlock.internal || echo no-such-host")).ShouldSucceed();

        result.Stdout.Trim().ShouldBe("no-such-host");
    }
}
