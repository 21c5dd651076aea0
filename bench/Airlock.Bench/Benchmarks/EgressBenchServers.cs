using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// The egress benchmark's destinations on 127.0.0.1: a bulk HTTP server (<c>GET /size/N</c> answers N bytes) and a TLS
/// server answering one small HTTP response per connection.
/// </summary>
internal sealed class EgressBenchServers : IAsyncDisposable
{
    public const string TlsName = "tls.bench";

    private static readonly byte[] Chunk = new byte[1024 * 1024];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly X509Certificate2 _certificate = MakeCertificate();

    public EgressBenchServers()
    {
        Bulk = Listen(ServeBulkAsync);
        Tls = Listen(ServeTlsAsync);
        KeepAlive = Listen(ServeKeepAliveAsync);
    }

    /// <summary>An HTTPS server that answers request after request on one connection, keeping the last Authorization it got.</summary>
    public IPEndPoint KeepAlive { get; }

    public string? LastAuthorization { get; private set; }

    /// <summary>The server certificate (self-signed), as the root a client must trust.</summary>
    public X509Certificate2 Certificate => _certificate;

    public IPEndPoint Bulk { get; }

    public IPEndPoint Tls { get; }

    private IPEndPoint Listen(Func<Socket, Task> serve)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        _listeners.Add(listener);
        _loops.Add(Task.Run(async () =>
        {
            while (true)
            {
                Socket s;
                try
                {
                    s = await listener.AcceptAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
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
                            // A client that went away: nothing to serve.
                        }
                    }
                });
            }
        }));
        return (IPEndPoint)listener.LocalEndPoint!;
    }

    private async Task ServeBulkAsync(Socket s)
    {
        s.NoDelay = true;
        using var stream = new NetworkStream(s);
        var head = await ReadHeadAsync(stream, _stop.Token);
        var size = long.Parse(head.Split(' ')[1]["/size/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"), _stop.Token);
        for (var left = size; left > 0; left -= Chunk.Length)
        {
            await stream.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(Chunk.Length, left)), _stop.Token);
        }

        s.Shutdown(SocketShutdown.Send);
    }

    private async Task ServeTlsAsync(Socket s)
    {
        s.NoDelay = true;
        await using var tls = new SslStream(new NetworkStream(s));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
        await ReadHeadAsync(tls, _stop.Token);
        await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), _stop.Token);
        await tls.ShutdownAsync();
        s.Shutdown(SocketShutdown.Send);
    }

    private async Task ServeKeepAliveAsync(Socket s)
    {
        s.NoDelay = true;
        await using var tls = new SslStream(new NetworkStream(s));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate, ApplicationProtocols = [SslApplicationProtocol.Http11] }, _stop.Token);
        while (true)
        {
            var head = await ReadHeadAsync(tls, _stop.Token);
            if (head.Length == 0)
            {
                return;
            }

            LastAuthorization = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase));
            await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), _stop.Token);
        }
    }

    public static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var bytes = new List<byte>(256);
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
        var request = new CertificateRequest($"CN={TlsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(TlsName);
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
        _certificate.Dispose();
        _stop.Dispose();
    }
}
