using System.Net;
using System.Net.Sockets;
using System.Text;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Tests.Infrastructure;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Tests.Runtime;

/// <summary>
/// An <c>allowlist</c> sandbox as the runtime makes it, on both engines at both levels: no interface but loopback, the
/// proxy address inside leading to the socket mounted from the host, the proxy variables set, and no other way out.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EgressWiringEngineTests
{
    private const string Greeting = "hello from the policy point";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, IsolationLevel> EnginesAndLevels() => new()
    {
        { Engines.Podman, IsolationLevel.Container },
        { Engines.Podman, IsolationLevel.Gvisor },
        { Engines.Docker, IsolationLevel.Container },
        { Engines.Docker, IsolationLevel.Gvisor },
    };

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(EnginesAndLevels))]
    public async Task The_proxy_address_leads_to_the_mounted_socket_and_nothing_else_is_reachable(string engine, IsolationLevel level)
    {
        using var dir = new TempDirectory();
        using var pointSocket = Serve(Path.Combine(dir.Path, EgressWiring.SocketName));
        // Something that answers on the host's own address: reachable from a bridged sandbox, not from this one.
        using var hostListener = new TcpListener(IPAddress.Any, 0);
        hostListener.Start();
        var hostAddress = HostAddresses.Current().First(a => a.AddressFamily == AddressFamily.InterNetwork);
        var hostPort = ((IPEndPoint)hostListener.LocalEndpoint).Port;
        var script = $$"""
            grep -c ':' /proc/net/dev | sed 's/^/lines=/'
            tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sed 's/^/interface=/'
            echo "https_proxy=$https_proxy"
            exec 3<>/dev/tcp/127.0.0.1/3128 && head -n 1 <&3
            (exec 4<>/dev/tcp/{{hostAddress}}/{{hostPort}}) 2>/dev/null && echo host=reached || echo host=unreachable
            """;

        var (exit, output) = await RunAsync(engine, level, dir.Path, script);

        exit.ShouldBe(0, output);
        output.ShouldContain("interface=lo");
        output.Split('\n').Count(l => l.StartsWith("interface=", StringComparison.Ordinal)).ShouldBe(1, output);
        output.ShouldContain($"https_proxy=http://{EgressWiring.ProxyAddress}");
        output.ShouldContain(Greeting, Case.Sensitive, "127.0.0.1:3128 inside is the socket outside: " + output);
        output.ShouldContain("host=unreachable", Case.Sensitive, $"{hostAddress}:{hostPort} listens on the host: " + output);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(EnginesAndLevels))]
    public async Task The_images_own_command_and_the_exit_status_come_through_the_relay(string engine, IsolationLevel level)
    {
        using var dir = new TempDirectory();
        using var pointSocket = Serve(Path.Combine(dir.Path, EgressWiring.SocketName));

        var (exit, output) = await RunAsync(engine, level, dir.Path, "echo ran; exit 7");

        exit.ShouldBe(7, output);
        output.ShouldContain("ran");
    }

    /// <summary>A stand-in for the policy point: greets every connection and closes it.</summary>
    private static Socket Serve(string path)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("666", 8));
        listener.Listen(8);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptAsync();
                await client.SendAsync(Encoding.ASCII.GetBytes(Greeting + "\n"));
            }
        });
        return listener;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string engine, IsolationLevel level, string socketDirectory, string script)
    {
        using var client = await Engines.ConnectAsync(engine);
        var runtime = new EngineSandboxRuntime(client);
        var spec = new SandboxSpec
        {
            Image = Engines.BaseImage,
            Command = ["bash", "-c", script],
            User = "1500:1500",
            Isolation = level,
            Network = NetworkPolicy.Default with { Mode = NetworkPolicy.Allowlist },
            Labels = new Dictionary<string, string> { [Engines.RunLabel] = "sandboxes-egress" },
        };
        var create = new SandboxCreate
        {
            Spec = spec,
            Name = $"airlock-test-egress-{Guid.NewGuid():N}"[..40],
            Owner = new SandboxOwner { Role = SandboxOwner.Roles.Server },
            Egress = new SandboxEgress(socketDirectory, RelayExecutable.Require()),
        };
        var id = await runtime.CreateAsync(create, Ct);
        return await ContainerRun.ToEndAsync(client, id, Ct);
    }
}
