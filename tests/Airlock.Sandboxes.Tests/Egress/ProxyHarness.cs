using System.Net;
using System.Net.Sockets;
using System.Text;
using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Tests.Egress;

/// <summary>An <see cref="EgressProxy"/> on a unix socket in a temp dir, with a stub resolver and an in-memory record.</summary>
public sealed class ProxyHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _dir = new("airlock-egress-");

    public ProxyHarness(EgressPolicy policy, Dictionary<string, IPAddress[]>? names = null, Func<EgressProxyOptions, EgressProxyOptions>? tune = null)
    {
        var options = new EgressProxyOptions
        {
            SandboxId = "sbx-test",
            Log = Log,
            AllowHint = d => $"to allow it: airlock egress allow sbx-test {d.Host}",
            Resolver = new StubResolver(names ?? []),
            HostAddresses = [IPAddress.Parse("192.0.2.10")],
        };
        Proxy = new EgressProxy(policy, tune is null ? options : tune(options));
        SocketPath = _dir.Combine("egress.sock");
        Proxy.ListenUnix(SocketPath);
    }

    public MemoryEgressLog Log { get; } = new();

    public EgressProxy Proxy { get; }

    public string SocketPath { get; }

    public async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        return socket;
    }

    /// <summary>Sends a CONNECT and returns the socket with the proxy's answer head read (and nothing past it).</summary>
    public async Task<(Socket Socket, string Head)> ConnectTunnelAsync(string target)
    {
        var socket = await ConnectAsync();
        await SendAsync(socket, $"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n");
        var head = await LoopbackServers.ReadHeadAsync(new NetworkStream(socket, ownsSocket: false), Cancel());
        return (socket, head);
    }

    public static async Task SendAsync(Socket socket, string text) => await socket.SendAsync(Encoding.Latin1.GetBytes(text), SocketFlags.None);

    /// <summary>Everything until the peer closes its sending side.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[65536];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, Cancel())) > 0)
            {
                ms.Write(buffer, 0, n);
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset is also an end.
        }

        return ms.ToArray();
    }

    public static async Task<string> ReadTextToEndAsync(Socket socket) => Encoding.Latin1.GetString(await ReadToEndAsync(socket));

    public Task<EgressRecord> RecordAsync(Func<EgressRecord, bool>? match = null) => Log.WaitForAsync(match ?? (_ => true), Cancel());

    /// <summary>Gives up after <see cref="Patience"/>, or when the test run is cancelled.</summary>
    public static CancellationToken Cancel()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Patience);
        return cts.Token;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        _dir.Dispose();
    }

    private sealed class StubResolver(Dictionary<string, IPAddress[]> names) : IEgressResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.TryGetValue(host, out var found)
                ? Task.FromResult<IReadOnlyList<IPAddress>>(found)
                : throw new SocketException((int)SocketError.HostNotFound);
    }
}
