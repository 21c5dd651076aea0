using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>Loopback helpers on the host side: a free port, a tiny server, and a one-shot client.</summary>
public static class HostNetwork
{
    /// <summary>A port free on 127.0.0.1 right now (the OS picks it; another process could take it, which is unlikely here).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and reads until the peer closes; null when nothing answers (yet).</summary>
    public static async Task<string?> TryReadAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            // Longer than InboundForward.RelayWait (10 s): on a loaded machine the sandbox's relay may park its first connection
            // late, and it is the forward that should give up (closing the client), not a reader that leaves a reply behind.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cts.Token);
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}

/// <summary>A server on the host's 127.0.0.1 that answers every connection with one line, then closes it.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackServer(string reply)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = ServeAsync(reply);
    }

    public int Port { get; }

    public int Connections { get; private set; }

    private async Task ServeAsync(string reply)
    {
        var bytes = Encoding.UTF8.GetBytes(reply + "\n");
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Connections++;
                await client.GetStream().WriteAsync(bytes, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _listener.Dispose();
        _stop.Dispose();
    }
}
