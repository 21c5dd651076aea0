using System.Net;
using System.Net.Sockets;

namespace Airlock.Launcher.HostServices;

/// <summary>
/// Relays connections from the bridge gateway address to the same port on the host's loopback, for exactly the ports
/// asked for, while a session runs. This is how a model server bound to 127.0.0.1 becomes reachable from a rootful
/// container without reconfiguring it.
/// </summary>
public sealed class HostServiceForwarder : IAsyncDisposable
{
    // setsockopt(SOL_IP, IP_FREEBIND) from <linux/in.h>: .NET has no named option for it.
    private const int SolIp = 0;
    private const int IpFreeBind = 15;

    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private HostServiceForwarder()
    {
    }

    /// <summary>Starts relaying; ports already served on that address (another session's relay) are reported, not fatal.</summary>
    public static HostServiceForwarder Start(IPAddress listenOn, IEnumerable<int> ports, List<string> warnings)
    {
        var forwarder = new HostServiceForwarder();
        foreach (var port in ports)
        {
            var listener = new TcpListener(listenOn, port);
            try
            {
                // Podman creates its bridge (and so the gateway address) only when the first container on it starts,
                // which is after this: bind to the address before it exists, and connections arrive once it does.
                if (OperatingSystem.IsLinux())
                {
                    listener.Server.SetRawSocketOption(SolIp, IpFreeBind, BitConverter.GetBytes(1));
                }

                listener.Start();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                listener.Dispose();
                warnings.Add($"host port {port}: {listenOn}:{port} is already relayed (another airlock session?); sharing it");
                continue;
            }
            catch (SocketException ex)
            {
                listener.Dispose();
                forwarder.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw new LauncherException($"host port {port}: cannot listen on the bridge gateway {listenOn}:{port} to relay it ({ex.Message}); check the engine's bridge network (airlock doctor)");
            }

            forwarder._listeners.Add(listener);
            forwarder._loops.Add(forwarder.AcceptLoopAsync(listener, port));
        }

        return forwarder;
    }

    private async Task AcceptLoopAsync(TcpListener listener, int port)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(inbound, port);
        }
    }

    private async Task RelayAsync(TcpClient inbound, int port)
    {
        using (inbound)
        using (var outbound = new TcpClient())
        {
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                var a = inbound.GetStream();
                var b = outbound.GetStream();
                var up = PumpAsync(a, b, outbound.Client);
                var down = PumpAsync(b, a, inbound.Client);
                await Task.WhenAll(up, down);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // The host service is down or a side hung up: the client sees the connection close, as it would directly.
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, Socket toSocket)
    {
        await from.CopyToAsync(to, _stop.Token);
        toSocket.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var l in _listeners)
        {
            l.Stop();
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
