using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Airlock.Bench.Infrastructure;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Secrets;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// egress-mitm: small HTTPS requests on one kept-alive connection, with a secret filled in by the policy point (which ends
/// the client's TLS and opens its own), against the same requests on a direct connection; requests alternate.
/// </summary>
internal static class EgressMitmMeasure
{
    private const string Key = "sk-bench-real-key";

    public static async Task<(Samples Direct, Samples Tunnel, Samples Mitm)> RunAsync(EgressBenchServers servers, string directory, int requests, CancellationToken ct)
    {
        using var authority = SandboxCertificateAuthority.Create("bench", TimeProvider.System);
        var secret = new SecretBinding("OPENAI_API_KEY", "OPENAI_API_KEY", SecretPlaceholder.New("OPENAI_API_KEY"), new SecretValue(Key), [EgressRule.Parse(EgressBenchServers.TlsName)], SecretInjection.Bearer);
        await using var log = new JsonLinesEgressLog(Path.Combine(directory, "mitm.jsonl"));
        // Loopback is refused unless named: the bench's server is on it, so the policy names it by address too.
        await using var proxy = new EgressProxy(EgressPolicy.AllowOnly(EgressBenchServers.TlsName, "127.0.0.1/32"), new EgressProxyOptions
        {
            SandboxId = "bench-mitm",
            Log = log,
            AllowHint = d => $"bench/run does not allow {d}",
            Resolver = new LoopbackResolver(),
            HostAddresses = [],
            Secrets = new SecretSet([secret]),
            Authority = authority,
            UpstreamRoots = [servers.Certificate],
        });
        var socketPath = Path.Combine(directory, "mitm.sock");
        proxy.ListenUnix(socketPath);

        var direct = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await direct.ConnectAsync(servers.KeepAlive, ct);
        await using var directTls = await HandshakeAsync(direct, ct);
        // The same server by address: no secret is bound to it, so the tunnel is only copied (the hops without the interception).
        await using var tunnelTls = await HandshakeAsync(await ConnectThroughAsync(socketPath, $"127.0.0.1:{servers.KeepAlive.Port}", ct), ct);
        await using var mitmTls = await HandshakeAsync(await ConnectThroughAsync(socketPath, $"{EgressBenchServers.TlsName}:{servers.KeepAlive.Port}", ct), ct);
        for (var i = 0; i < 20; i++)
        {
            await RequestAsync(directTls, Key, ct);
            await RequestAsync(tunnelTls, Key, ct);
            await RequestAsync(mitmTls, secret.Placeholder, ct);
        }

        if (servers.LastAuthorization != $"Authorization: Bearer {Key}")
        {
            throw new InvalidOperationException($"the server did not get the real key through the policy point: {servers.LastAuthorization}");
        }

        var directSamples = new Samples("direct");
        var tunnelSamples = new Samples("tunnel");
        var mitmSamples = new Samples("mitm");
        for (var i = 0; i < requests; i++)
        {
            directSamples.Add(await RequestAsync(directTls, Key, ct));
            tunnelSamples.Add(await RequestAsync(tunnelTls, Key, ct));
            mitmSamples.Add(await RequestAsync(mitmTls, secret.Placeholder, ct));
        }

        return (directSamples, tunnelSamples, mitmSamples);
    }

    private static async Task<Socket> ConnectThroughAsync(string socketPath, string target, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"), SocketFlags.None, ct);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = await EgressBenchServers.ReadHeadAsync(stream, ct);
        return head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) ? socket : throw new InvalidOperationException($"the proxy refused {target}: {head}");
    }

    private static async Task<SslStream> HandshakeAsync(Socket socket, CancellationToken ct)
    {
        // The client's own trust is not what is measured: both accept what they are shown.
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = EgressBenchServers.TlsName, ApplicationProtocols = [SslApplicationProtocol.Http11] }, ct);
        return tls;
    }

    private static async Task<TimeSpan> RequestAsync(SslStream tls, string key, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /v1/models HTTP/1.1\r\nHost: {EgressBenchServers.TlsName}\r\nAuthorization: Bearer {key}\r\n\r\n"), ct);
        var head = await EgressBenchServers.ReadHeadAsync(tls, ct);
        var body = new byte[2];
        await tls.ReadExactlyAsync(body, ct);
        if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the request failed: {head}");
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private sealed class LoopbackResolver : IEgressResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IPAddress>>([IPAddress.Loopback]);
    }
}
