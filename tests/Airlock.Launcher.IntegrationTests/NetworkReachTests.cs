using System.Net;
using System.Text.RegularExpressions;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10 item 11: what a sandbox reaches on the bridge (network open). Every such launch gets a network guard (a container holding the
/// sandbox's network namespace with nftables rules it cannot change): the host's own addresses, link-local (the cloud
/// metadata service) and other sandboxes are unreachable, a host-port relay serves its own session only, and
/// <c>--host-port</c> still works. Each case is tried from inside a real sandbox against a real listener.
/// </summary>
public sealed partial class NetworkReachTests(SharedNamespaces shared)
{
    /// <summary>Prints "TARGET open:REPLY" or "TARGET closed" for each ADDRESS/PORT given, reading what the peer sends first.</summary>
    private const string Probe =
        "for t in \"$@\"; do r=$(timeout 5 bash -c \"exec 3<>/dev/tcp/$t && timeout 2 head -c 100 <&3\" 2>/dev/null) && echo \"$t open:$r\" || echo \"$t closed\"; done";

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_sandbox_cannot_reach_the_hosts_own_addresses_or_link_local(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var lan = new AddressServer(AddressServer.HostAddress(), "host-lan-service");
        await using var gateway = new AddressServer(AddressServer.DockerGateway(), "docker-gateway-service");

        // 169.254.169.254 is the cloud metadata address: with the guard, the connection is refused inside the sandbox's
        // own network namespace and no packet leaves it.
        var result = (await ws.AirlockAsync(ns.Name, "--network", "open", "bash", "-c", Probe, "probe", lan.Target, gateway.Target, "169.254.169.254/80")).ShouldSucceed();

        Engines.Lines(result.Stdout).ShouldBe([$"{lan.Target} closed", $"{gateway.Target} closed", "169.254.169.254/80 closed"], result.ToString());
        lan.Connections.ShouldBe(0);
        gateway.Connections.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_sandbox_cannot_reach_another_sessions_sandbox(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var first = Workspace.Sharing(ns);
        await using var second = Workspace.Sharing(ns);
        // The first session serves on 8080 until a connection finds the stop file in its project.
        using var session = first.Start([ns.Name, "--network", "open", "perl", "-MIO::Socket::INET", "-e",
            "alarm 240; my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => 8080, Listen => 5, ReuseAddr => 1) or die \"listen: $!\"; " +
            "while (my $c = $s->accept) { print $c \"hello-from-first\\n\"; close $c; last if -e \"$ENV{AIRLOCK_PROJECT}/stop\"; }"]);
        try
        {
            var address = await SessionAddressAsync(engine, first.Project, session);
            // From the host (through the gateway, as published ports arrive) it answers: the listener is up.
            var control = await Poll.UntilAsync(() => TryReadAsync(address, 8080), r => r is not null || session.HasExited, "the first session's listener");
            control.ShouldBe("hello-from-first\n");

            var result = (await second.AirlockAsync(ns.Name, "--network", "open", "bash", "-c", Probe, "probe", $"{address}/8080")).ShouldSucceed();

            Engines.Lines(result.Stdout).ShouldBe([$"{address}/8080 closed"], result.ToString());

            // In allowlist mode (a new namespace's), neither directly nor through the proxy: a sandbox's address is private.
            var viaProxy = (await second.AirlockAsync(ns.Name, "--network", "allowlist", "bash", "-c",
                Probe + $"; exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'CONNECT {address}:8080 HTTP/1.1\\r\\nHost: {address}:8080\\r\\n\\r\\n' >&3 && echo \"proxy=$(head -n 1 <&3)\"",
                "probe", $"{address}/8080")).ShouldSucceed();
            var lines = Engines.Lines(viaProxy.Stdout);
            lines.ShouldContain($"{address}/8080 closed", viaProxy.ToString());
            lines.ShouldContain(l => l.StartsWith("proxy=HTTP/1.1 403", StringComparison.Ordinal), viaProxy.ToString());
        }
        finally
        {
            File.WriteAllText(Path.Combine(first.Project, "stop"), "");
            await TryReadAsync(await SessionAddressAsync(engine, first.Project, session), 8080);
            await session.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_host_port_relay_serves_its_own_session_and_no_other_container_on_the_bridge(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var asked = new LoopbackServer("hello-from-host");
        var port = asked.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var session = ws.Start([ns.Name, "--network", "open", "--host-port", port, "bash", "-c",
            $"while [ ! -e \"$AIRLOCK_PROJECT/stop\" ]; do sleep 0.2; done; exec 3<>/dev/tcp/host.airlock.internal/{port} && cat <&3"]);
        var foreign = $"airlock-it-{Names.RunId}-foreign-{Names.Hex(3)}";
        try
        {
            // Once the sandbox runs, its relay is up (and its guard armed).
            await Poll.UntilAsync(() => SandboxRunningAsync(engine, ws.Project), running => running || session.HasExited, "the session's sandbox to run");
            var gateway = await GatewayAsync(engine);
            var targets = new List<string> { $"{gateway}/{port}" };
            // This session's own relay port, as its guard redirects to it.
            var sandbox = (await Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}", "io.airlock.owner=launcher")).Single();
            if (DnatTarget().Match((await Engines.CliAsync(engine, "exec", sandbox + "-guard", "nft", "list", "table", "inet", "airlock")).Stdout) is { Success: true } relay)
            {
                targets.Add($"{gateway}/{relay.Groups["port"].Value}");
            }

            // Another container on the same bridge, without a guard (as any other container of the user's may be).
            var other = (await Engines.CliAsync(engine, ["run", "--rm", "--name", foreign, "--label", "io.airlock.it-foreign=" + Names.RunId,
                Engines.BaseImage, "bash", "-c", Probe, "probe", .. targets])).ShouldSucceed();

            Engines.Lines(other.Stdout).ShouldAllBe(line => line.EndsWith(" closed", StringComparison.Ordinal) || line.EndsWith(" open:", StringComparison.Ordinal), other.ToString());
            asked.Connections.ShouldBe(0, "the host service was reached from another container");
            targets.Count.ShouldBe(2, "the session's guard redirects its host port to a relay of its own");
        }
        finally
        {
            await Engines.CliAsync(engine, "rm", "-f", foreign);
            File.WriteAllText(Path.Combine(ws.Project, "stop"), "");
            await session.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        session.ExitCode.ShouldBe(0, "the session itself still reaches its host port");
        asked.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task Rootless_podman_reaches_exactly_the_asked_loopback_port_and_no_host_address()
    {
        await using var ws = Workspace.Create(Engines.Podman, asTestUser: true);
        var ns = await ws.CreateNamespaceAsync();
        await using var asked = new LoopbackServer("hello-from-host");
        await using var notAsked = new LoopbackServer("must-not-be-reachable");
        await using var lan = new AddressServer(AddressServer.HostAddress(), "host-lan-service");

        var result = (await ws.AirlockAsync(ns, "--network", "open", "--host-port", asked.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "bash", "-c", Probe, "probe",
            $"host.airlock.internal/{asked.Port}", $"host.airlock.internal/{notAsked.Port}", lan.Target, "169.254.169.254/80")).ShouldSucceed();

        Engines.Lines(result.Stdout).ShouldBe(
        [
            $"host.airlock.internal/{asked.Port} open:hello-from-host",
            $"host.airlock.internal/{notAsked.Port} closed",
            $"{lan.Target} closed",
            "169.254.169.254/80 closed",
        ], result.ToString());
        notAsked.Connections.ShouldBe(0);
        lan.Connections.ShouldBe(0);
    }

    /// <summary>The session's address on the bridge: its guard's (whose network the sandbox shares), or the sandbox's own without a guard.</summary>
    private static async Task<IPAddress> SessionAddressAsync(string engine, string project, System.Diagnostics.Process session)
    {
        return await Poll.UntilAsync(
            async () =>
            {
                foreach (var sandbox in await Engines.ContainersAsync(engine, $"io.airlock.project={project}"))
                foreach (var name in new[] { sandbox, sandbox + "-guard" })
                {
                    var inspect = await Engines.CliAsync(engine, "inspect", "--format", "{{.State.Running}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name);
                    if (inspect.Stdout.Trim().Split(' ') is ["true", var ip] && IPAddress.TryParse(ip, out var address))
                    {
                        return address;
                    }
                }

                return null;
            },
            a => a is not null || session.HasExited,
            "the session's address") ?? throw new InvalidOperationException("the session ended before it had an address");
    }

    private static async Task<bool> SandboxRunningAsync(string engine, string project)
    {
        var sandbox = await Engines.ContainersAsync(engine, $"io.airlock.project={project}", "io.airlock.owner=launcher");
        return sandbox.Count == 1 && (await Engines.CliAsync(engine, "inspect", "--format", "{{.State.Running}}", sandbox[0])).Stdout.Trim() == "true";
    }

    /// <summary>The default bridge's gateway: the host as the engine's containers see it.</summary>
    private static async Task<string> GatewayAsync(string engine) => engine == Engines.Docker
        ? AddressServer.DockerGateway().ToString()
        : (await Engines.CliAsync(engine, "network", "inspect", "podman", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}")).ShouldSucceed().Stdout.Trim();

    private static async Task<string?> TryReadAsync(IPAddress address, int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(address, port, cts.Token);
            using var reader = new StreamReader(client.GetStream());
            var text = await reader.ReadToEndAsync(cts.Token);
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"dnat ip to (?<gateway>[0-9.]+):(?<port>[0-9]+)")]
    private static partial Regex DnatTarget();
}
