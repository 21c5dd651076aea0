using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A server on one of the host's own addresses (not loopback) that answers every connection with one line and counts
/// them: what a sandbox must not reach. <see cref="HostAddress"/> and <see cref="DockerGateway"/> pick the addresses.
/// </summary>
public sealed class AddressServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public AddressServer(IPAddress address, string reply)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Address = address;
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = ServeAsync(Encoding.UTF8.GetBytes(reply + "\n"));
    }

    public IPAddress Address { get; }

    public int Port { get; }

    /// <summary><c>ADDRESS/PORT</c>, as bash's /dev/tcp wants it.</summary>
    public string Target => $"{Address}/{Port}";

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The host's first non-loopback IPv4 address on an interface that is up (the LAN side, eth0 here).</summary>
    public static IPAddress HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    /// <summary>Docker's bridge gateway (docker0): a host address every rootful sandbox is next to.</summary>
    public static IPAddress DockerGateway() =>
        NetworkInterface.GetAllNetworkInterfaces().Single(i => i.Name == "docker0")
            .GetIPProperties().UnicastAddresses.Select(a => a.Address).First(a => a.AddressFamily == AddressFamily.InterNetwork);

    private async Task ServeAsync(byte[] reply)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                await client.GetStream().WriteAsync(reply, _stop.Token);
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
