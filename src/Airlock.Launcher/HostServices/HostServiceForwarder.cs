using System.Net;
using System.Net.Sockets;

namespace Airlock.Launcher.HostServices;

/// <summary>
/// Relays one session's connections from the bridge gateway to the same port on the host's loopback, for exactly the
/// ports asked for, while the session runs. Each asked port gets a listener of this session's own on a port the OS
/// picks (<see cref="RelayPorts"/>; the session's network guard redirects the asked port there), and a connection from
/// any address but the session's own sandbox is closed unanswered: another sandbox on the bridge gets nothing.
/// </summary>
public sealed class HostServiceForwarder : IAsyncDisposable
{
    // setsockopt(SOL_IP, IP_FREEBIND) from <linux/in.h>: .NET has no named option for it.
    private const int SolIp = 0;
    private const int IpFreeBind = 15;

    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Dictionary<int, int> _relayPorts = [];
    private readonly IPAddress _client;

    private HostServiceForwarder(IPAddress client) => _client = client;

    /// <summary>Asked host port → the port this session's relay listens on at the gateway.</summary>
    public IReadOnlyDictionary<int, int> RelayPorts => _relayPorts;

    /// <summary>Connections refused because they came from another address than the session's sandbox.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    /// <summary>Starts relaying the <paramref name="ports"/> for the sandbox at <paramref name="client"/> only.</summary>
    public static HostServiceForwarder Start(IPAddress listenOn, IEnumerable<int> ports, IPAddress client)
    {
        var forwarder = new HostServiceForwarder(client);
        foreach (var port in ports)
        {
            var listener = new TcpListener(listenOn, 0);
            try
            {
                if (OperatingSystem.IsLinux())
                {
                    // Bound before the engine may have brought the bridge up: connections arrive once it is.
                    listener.Server.SetRawSocketOption(SolIp, IpFreeBind, BitConverter.GetBytes(1));
                }

                listener.Start();
            }
            catch (SocketException ex)
            {
                listener.Dispose();
                forwarder.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw new LauncherException($"host port {port}: cannot listen on the bridge gateway {listenOn} to relay it ({ex.Message}); check the engine's bridge network (airlock doctor)");
            }

            forwarder._listeners.Add(listener);
            forwarder._relayPorts[port] = ((IPEndPoint)listener.LocalEndpoint).Port;
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

            if (!FromSession(inbound))
            {
                Interlocked.Increment(ref _refused);
                inbound.Dispose();
                continue;
            }

            _ = RelayAsync(inbound, port);
        }
    }

    private bool FromSession(TcpClient inbound)
    {
        if (inbound.Client.RemoteEndPoint is not IPEndPoint remote)
        {
            return false;
        }

        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        return address.Equals(_client);
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
