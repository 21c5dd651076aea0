using System.Net;
using System.Net.Sockets;
using System.Text;
using Airlock.Sandboxes.Network;

namespace Airlock.Sandboxes.Tests.Network;

/// <summary>The host's half of a port forwarded into a sandbox without a network, with a stand-in for the relay inside.</summary>
public sealed class InboundForwardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_takes_a_parked_connection_wakes_it_and_talks_through_it()
    {
        using var dir = new TempDirectory("airlock-inbound-");
        await using var forward = InboundForward.Start(dir.Combine("in.sock"), new IPEndPoint(IPAddress.Loopback, 0));
        var relay = FakeRelayAsync(dir.Combine("in.sock"), "from-inside");

        var answer = await ExchangeAsync(forward.Endpoint, "from-host");

        answer.ShouldBe("from-inside");
        (await relay).ShouldBe("from-host", "after the wake byte, the client's bytes and nothing else");
        File.GetUnixFileMode(dir.Combine("in.sock")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task A_parked_connection_the_relay_closed_is_skipped_for_a_live_one()
    {
        using var dir = new TempDirectory("airlock-inbound-");
        await using var forward = InboundForward.Start(dir.Combine("in.sock"), new IPEndPoint(IPAddress.Loopback, 0));
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await dead.ConnectAsync(new UnixDomainSocketEndPoint(dir.Combine("in.sock")), Ct);
        }

        var relay = FakeRelayAsync(dir.Combine("in.sock"), "live");

        (await ExchangeAsync(forward.Endpoint, "x")).ShouldBe("live");
        await relay;
    }

    [Fact]
    public async Task Without_a_parked_connection_a_port_in_use_is_refused_before_anything_listens()
    {
        using var dir = new TempDirectory("airlock-inbound-");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();

        Should.Throw<SocketException>(() => InboundForward.Start(dir.Combine("in.sock"), (IPEndPoint)taken.LocalEndpoint));

        File.Exists(dir.Combine("in.sock")).ShouldBeFalse("nothing is left behind");
    }

    /// <summary>Parks one connection, waits for the wake byte, reads what the client sent, answers and closes.</summary>
    private static async Task<string> FakeRelayAsync(string socketPath, string reply)
    {
        using var parked = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await parked.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), Ct);
        var wake = new byte[1];
        (await parked.ReceiveAsync(wake, SocketFlags.None, Ct)).ShouldBe(1);
        wake[0].ShouldBe((byte)1);
        var received = await ReadToEndAsync(parked);
        await parked.SendAsync(Encoding.ASCII.GetBytes(reply), SocketFlags.None, Ct);
        parked.Shutdown(SocketShutdown.Send);
        return received;
    }

    private static async Task<string> ExchangeAsync(IPEndPoint endpoint, string request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endpoint, Ct);
        await client.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, Ct);
        client.Shutdown(SocketShutdown.Send);
        return await ReadToEndAsync(client);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
