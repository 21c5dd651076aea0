using System.Net.Sockets;
using System.Text;

namespace Airlock.Relay.Tests;

/// <summary>
/// A unix socket server standing in for the egress policy point: answers "echo:" and what it read until the client's
/// end, or, given a payload size, sends that many bytes and closes.
/// </summary>
internal sealed class UnixEchoServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly long _payload;

    public UnixEchoServer(string path, long payload = 0)
    {
        Path = path;
        _payload = payload;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(16);
        _serving = ServeAsync();
    }

    public string Path { get; }

    public int Connections;

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref Connections);
            _ = _payload > 0 ? SendPayloadAsync(client) : EchoAsync(client);
        }
    }

    private static async Task EchoAsync(Socket client)
    {
        using (client)
        {
            var received = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await client.ReceiveAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            await client.SendAsync(Encoding.ASCII.GetBytes("echo:" + Encoding.ASCII.GetString(received.ToArray())));
            client.Shutdown(SocketShutdown.Send);
        }
    }

    private async Task SendPayloadAsync(Socket client)
    {
        using (client)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < _payload; sent += chunk.Length)
            {
                await client.SendAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, _payload - sent)));
            }

            client.Shutdown(SocketShutdown.Send);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _serving;
        _stop.Dispose();
    }
}
