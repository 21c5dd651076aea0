using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Airlock.Sandboxes.Network;

/// <summary>
/// The host's half of a port forwarded into a sandbox that has no network (allowlist, none): nothing can connect into
/// it, so its relay keeps connections parked on this unix socket (in the egress directory, mounted read-only), and each
/// client accepted on the host's address takes one, wakes it with one byte, and is carried to the port inside. A sandbox
/// that parks more than <see cref="MaxParked"/> only has the extra ones closed; what it can do with a parked connection
/// is serve its own forwarded port, which it does anyway.
/// </summary>
public sealed class InboundForward : IAsyncDisposable
{
    public const int MaxParked = 16;

    /// <summary>How long a client waits for the relay to park a connection (it starts before the sandbox's command).</summary>
    public static readonly TimeSpan RelayWait = TimeSpan.FromSeconds(10);

    private static readonly byte[] Wake = [1];

    private readonly Socket _parking;
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly Channel<Socket> _parked = Channel.CreateBounded<Socket>(
        new BoundedChannelOptions(MaxParked) { FullMode = BoundedChannelFullMode.DropWrite }, s => s.Dispose());
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _parkingLoop;
    private readonly Task _clientLoop;

    private readonly TimeProvider _time;

    private InboundForward(Socket parking, string socketPath, Socket listener, TimeProvider time)
    {
        _time = time;
        _parking = parking;
        _socketPath = socketPath;
        _listener = listener;
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
        _parkingLoop = Task.Run(ParkAsync);
        _clientLoop = Task.Run(ServeAsync);
    }

    /// <summary>Where the host's clients connect (the port is the one picked when 0 was asked).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>
    /// Listens on <paramref name="socketPath"/> (0600, in a directory of the sandbox's own) for the relay and on
    /// <paramref name="listen"/> for clients; a port in use is a <see cref="SocketException"/> before anything starts.
    /// </summary>
    public static InboundForward Start(string socketPath, IPEndPoint listen, TimeProvider? time = null)
    {
        var listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var parking = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(listen);
            listener.Listen(128);
            parking.Bind(new UnixDomainSocketEndPoint(socketPath));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            parking.Listen(MaxParked);
        }
        catch
        {
            listener.Dispose();
            parking.Dispose();
            throw;
        }

        return new InboundForward(parking, socketPath, listener, time ?? TimeProvider.System);
    }

    /// <summary>The socket's name for container port <paramref name="port"/>, in the egress directory.</summary>
    public static string SocketName(int port) => $"inbound-{port}.sock";

    private async Task ParkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var relay = await _parking.AcceptAsync(_stop.Token).ConfigureAwait(false);
                _parked.Writer.TryWrite(relay);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Out of descriptors, most likely: the relay retries its connect.
            }
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = CarryAsync(client);
        }
    }

    private async Task CarryAsync(Socket client)
    {
        using (client)
        {
            using var relay = await TakeLiveAsync().ConfigureAwait(false);
            if (relay is null)
            {
                return;
            }

            client.NoDelay = true;
            try
            {
                await Task.WhenAll(CopyAsync(client, relay, _stop.Token), CopyAsync(relay, client, _stop.Token)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // One side went away: closing ends the other.
            }
        }
    }

    /// <summary>A parked connection that is still open, woken; null when the relay parks none in time.</summary>
    private async Task<Socket?> TakeLiveAsync()
    {
        using var deadline = new CancellationTokenSource(RelayWait, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, deadline.Token);
        while (true)
        {
            Socket relay;
            try
            {
                relay = await _parked.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                return null;
            }

            try
            {
                // Readable with nothing to read: the relay side closed it (a relay that ended, say).
                if (!(relay.Poll(0, SelectMode.SelectRead) && relay.Available == 0))
                {
                    await relay.SendAsync(Wake, SocketFlags.None, wait.Token).ConfigureAwait(false);
                    return relay;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // Gone meanwhile: try the next.
            }

            relay.Dispose();
        }
    }

    /// <summary>Copies until the source ends, then half-closes the destination so the other side sees the end too.</summary>
    private static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false)) > 0)
        {
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct).ConfigureAwait(false);
        }

        to.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        _parking.Dispose();
        await Task.WhenAll(_parkingLoop, _clientLoop).ConfigureAwait(false);
        _parked.Writer.TryComplete();
        while (_parked.Reader.TryRead(out var relay))
        {
            relay.Dispose();
        }

        try
        {
            File.Delete(_socketPath);
        }
        catch (DirectoryNotFoundException)
        {
            // Its directory went first.
        }

        _stop.Dispose();
    }
}
