using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Airlock.Tests.Support;

/// <summary>
/// A FAKE model provider over HTTPS (no model behind it): keeps every request's head, and answers each with a small JSON
/// body, keeping the connection open for the next (HTTP/1.1 keep-alive). It stands in for a cloud endpoint whose key
/// the policy point adds, so a test can see exactly what arrived.
/// </summary>
public sealed class FakeHttpsProvider : IDisposable
{
    public const string Answer = "{\"object\":\"fake-model-answer\"}";

    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;

    public FakeHttpsProvider(IPAddress address, X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every request head as it arrived: header names in lower case.</summary>
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        await using (var tls = new SslStream(client.GetStream()))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                });
                var pending = new List<byte>();
                var buffer = new byte[16 * 1024];
                while (true)
                {
                    int end;
                    while ((end = IndexOf(pending, "\r\n\r\n"u8)) < 0)
                    {
                        var n = await tls.ReadAsync(buffer);
                        if (n == 0)
                        {
                            return;
                        }

                        pending.AddRange(buffer.AsSpan(0, n));
                    }

                    var lines = Encoding.Latin1.GetString(pending.GetRange(0, end).ToArray()).Split("\r\n");
                    pending.RemoveRange(0, end + 4);
                    var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                        .GroupBy(p => p[0].Trim().ToLowerInvariant())
                        .ToDictionary(g => g.Key, g => g.Last()[1].Trim());
                    var length = headers.TryGetValue("content-length", out var cl) ? int.Parse(cl, CultureInfo.InvariantCulture) : 0;
                    if (headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        // Enough for a test: the body, chunk framing and all, up to the last chunk.
                        while ((length = IndexOf(pending, "0\r\n\r\n"u8)) < 0)
                        {
                            var n = await tls.ReadAsync(buffer);
                            if (n == 0)
                            {
                                return;
                            }

                            pending.AddRange(buffer.AsSpan(0, n));
                        }

                        length += 5;
                    }

                    while (pending.Count < length)
                    {
                        var n = await tls.ReadAsync(buffer);
                        if (n == 0)
                        {
                            return;
                        }

                        pending.AddRange(buffer.AsSpan(0, n));
                    }

                    var body = Encoding.UTF8.GetString(pending.GetRange(0, length).ToArray());
                    pending.RemoveRange(0, length);
                    Requests.Enqueue(new FakeRequest(lines[0], headers, body));
                    var answer = Encoding.UTF8.GetBytes(Answer);
                    await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {answer.Length}\r\n\r\n"));
                    await tls.WriteAsync(answer);
                }
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The client went away or would not trust this server: nothing to answer.
            }
        }
    }

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> what)
    {
        for (var i = 0; i + what.Length <= data.Count; i++)
        {
            var match = true;
            for (var j = 0; j < what.Length && match; j++)
            {
                match = data[i + j] == what[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    public void Dispose()
    {
        _listener.Stop();
        _certificate.Dispose();
    }
}

/// <summary>One request the fake server got.</summary>
public sealed record FakeRequest(string RequestLine, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
