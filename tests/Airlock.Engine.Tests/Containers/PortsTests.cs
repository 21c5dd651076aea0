using System.Net.Sockets;
using System.Text;
using Airlock.Engine.Containers;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class PortsTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Published_port_is_reachable_from_the_host(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        // The base image has perl but no nc or busybox; the server says so in its log once it listens.
        const string server = """
            use IO::Socket::INET;
            my $s = IO::Socket::INET->new(LocalPort => 8080, Listen => 5, ReuseAddr => 1) or die "listen: $!";
            $| = 1;
            print "listening\n";
            while (my $c = $s->accept) { my $line = <$c>; print $c "echo: $line"; close $c }
            """;
        var id = await scope.StartIdleAsync(TestEngine.Container("perl", "-e", server) with { Ports = [new PortMapping(8080)] });
        await scope.WaitForLogLineAsync(id, "listening");

        var hostPort = (await e.Client.Containers.InspectAsync(id, Ct)).HostPortFor(8080).ShouldNotBeNull();
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", hostPort, Ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync("ping from the host\n"u8.ToArray(), Ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);

        (await reader.ReadLineAsync(Ct)).ShouldBe("echo: ping from the host");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Unpublished_port_has_no_host_port(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();

        (await e.Client.Containers.InspectAsync(id, Ct)).HostPortFor(8080).ShouldBeNull();
    }
}
