using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Airlock.Sandboxes.Tests.Egress;

/// <summary>Real servers on 127.0.0.1 for the proxy to reach: TCP echo, a tiny HTTP/1.1 server, and a TLS server.</summary>
public sealed class LoopbackServers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly List<string> _httpHeads = [];
    private readonly Lock _gate = new();

    public LoopbackServers()
    {
        Echo = Listen(ServeEchoAsync);
        Http = Listen(ServeHttpAsync);
        Tls = Listen(ServeTlsAsync);
    }

    public static X509Certificate2 Certificate { get; } = MakeCertificate();

    public IPEndPoint Echo { get; }

    public IPEndPoint Http { get; }

    public IPEndPoint Tls { get; }

    /// <summary>Every request head the HTTP server received, in order.</summary>
    public IReadOnlyList<string> HttpHeads
    {
        get
        {
            lock (_gate)
            {
                return _httpHeads.ToList();
            }
        }
    }

    private IPEndPoint Listen(Func<Socket, Task> serve)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        _listeners.Add(listener);
        _loops.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket s;
                try
                {
                    s = await listener.AcceptAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (s)
                    {
                        try
                        {
                            await serve(s);
                        }
                        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                        {
                        }
                    }
                });
            }
        }));
        return (IPEndPoint)listener.LocalEndPoint!;
    }

    private async Task ServeEchoAsync(Socket s)
    {
        var buffer = new byte[8192];
        int n;
        while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
        {
            await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
        }

        s.Shutdown(SocketShutdown.Send);
    }

    // GET /size/N answers N bytes of 'x'; anything else answers "hello <path> from <Host>". Always Connection: close.
    private async Task ServeHttpAsync(Socket s)
    {
        using var stream = new NetworkStream(s);
        var head = await ReadHeadAsync(stream, _stop.Token);
        lock (_gate)
        {
            _httpHeads.Add(head);
        }

        var path = head.Split(' ')[1];
        var host = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?[5..].Trim() ?? "";
        var body = path.StartsWith("/size/", StringComparison.Ordinal)
            ? new byte[int.Parse(path[6..], System.Globalization.CultureInfo.InvariantCulture)].Select(_ => (byte)'x').ToArray()
            : Encoding.ASCII.GetBytes($"hello {path} from {host}");
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
        s.Shutdown(SocketShutdown.Send);
    }

    // A TLS handshake, then one HTTP request answered with "secret over tls".
    private async Task ServeTlsAsync(Socket s)
    {
        await using var tls = new SslStream(new NetworkStream(s));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, _stop.Token);
        await ReadHeadAsync(tls, _stop.Token);
        var body = "secret over tls"u8.ToArray();
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), _stop.Token);
        await tls.WriteAsync(body, _stop.Token);
        await tls.ShutdownAsync();
    }

    public static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                break;
            }

            bytes.Add(one[0]);
        }

        return Encoding.Latin1.GetString(bytes.ToArray());
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=tls.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("tls.test");
        request.CertificateExtensions.Add(names.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var l in _listeners)
        {
            l.Dispose();
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
