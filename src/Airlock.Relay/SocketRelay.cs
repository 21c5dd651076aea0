using System.Net.Sockets;

namespace Airlock.Relay;

/// <summary>
/// Listens on one loopback address and carries every connection, both ways, to a unix socket. It decides nothing: the
/// policy is applied on the other side of the socket, outside the sandbox, where the code in here cannot reach it.
/// </summary>
internal sealed class SocketRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    private SocketRelay(Socket listener, string socketPath)
    {
        _listener = listener;
        _socketPath = socketPath;
    }

    /// <summary>Binds at once, so that the address is ready before the command starts (no race with its first request).</summary>
    public static SocketRelay Bind(Forward forward)
    {
        var listener = new Socket(forward.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(forward.Listen);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var relay = new SocketRelay(listener, forward.SocketPath);
        relay._accepting = relay.AcceptAsync();
        return relay;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = CarryAsync(client);
        }
    }

    private async Task CarryAsync(Socket client)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                client.NoDelay = true;
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), _stop.Token).ConfigureAwait(false);
                await Task.WhenAll(
                    SocketCopy.CopyAsync(client, upstream, _stop.Token),
                    SocketCopy.CopyAsync(upstream, client, _stop.Token)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // A peer gone or the relay stopping: the connection ends, which is all either side can be told.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
