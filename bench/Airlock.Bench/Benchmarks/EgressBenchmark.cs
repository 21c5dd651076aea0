using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Airlock.Bench.Infrastructure;
using Airlock.Sandboxes.Egress;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// egress: what the egress proxy costs. (a) A bulk download over a CONNECT tunnel from the proxy's unix socket against
/// the same download straight from the server; (b) small HTTPS requests, each on a new connection (CONNECT, SNI check,
/// TLS handshake, request), against the same requests made directly; (c) egress-mitm, requests with a secret filled in
/// (<see cref="EgressMitmMeasure"/>). Direct and proxied runs alternate.
/// </summary>
internal sealed class EgressBenchmark : IBenchmark
{
    private static readonly string[] Known = ["--mib", "--runs", "--requests"];

    public string Name => "egress";

    public string Summary => "egress proxy vs direct: bulk download throughput and new-connection HTTPS latency";

    public async Task<int> RunAsync(BenchContext context)
    {
        // --no-splice: the buffered copy instead of splice(2), to see what the kernel path is worth.
        if (!BenchArgs.TryParse(context.Args, Known, ["--no-splice"], out var args, out var error))
        {
            context.Error.WriteLine($"{Name}: {error}");
            return 2;
        }

        var mib = args.GetInt("--mib", 256, 1);
        var runs = args.GetInt("--runs", 5, 1);
        var requests = args.GetInt("--requests", 200, 10);
        var ct = context.Cancellation;

        await using var servers = new EgressBenchServers();
        using var dir = new TempDir();
        await using var log = new JsonLinesEgressLog(Path.Combine(dir.Path, "egress.jsonl"));
        var policy = EgressPolicy.AllowOnly(EgressBenchServers.TlsName, "127.0.0.1/32");
        await using var proxy = new EgressProxy(policy, new EgressProxyOptions
        {
            SandboxId = "bench",
            Log = log,
            AllowHint = d => $"bench/run does not allow {d}",
            Resolver = new FixedResolver(IPAddress.Loopback),
            Splice = !args.Has("--no-splice"),
        });
        var socketPath = Path.Combine(dir.Path, "egress.sock");
        proxy.ListenUnix(socketPath);
        var proxyEndpoint = new UnixDomainSocketEndPoint(socketPath);

        var size = (long)mib * 1024 * 1024;
        context.Out.WriteLine($"{Name}: bulk {mib} MiB x {runs} runs, {requests} HTTPS requests on new connections; direct and proxied alternate{(args.Has("--no-splice") ? "; buffered copy, no splice" : "")}");

        // (a) bulk: one warm-up each, then alternate.
        await DownloadDirectAsync(servers.Bulk, 16 * 1024 * 1024, ct);
        await DownloadProxiedAsync(proxyEndpoint, servers.Bulk, 16 * 1024 * 1024, ct);
        var direct = new Samples("direct");
        var proxied = new Samples("proxied");
        for (var i = 0; i < runs; i++)
        {
            direct.Add(await DownloadDirectAsync(servers.Bulk, size, ct));
            proxied.Add(await DownloadProxiedAsync(proxyEndpoint, servers.Bulk, size, ct));
        }

        var directMibs = mib / (direct.Median / 1000);
        var proxiedMibs = mib / (proxied.Median / 1000);
        context.Out.WriteLine(Invariant($"{Name}: bulk direct  median {direct.Median:F0} ms = {directMibs:F0} MiB/s"));
        context.Out.WriteLine(Invariant($"{Name}: bulk proxied median {proxied.Median:F0} ms = {proxiedMibs:F0} MiB/s"));

        // (b) latency: warm-up, then interleave.
        for (var i = 0; i < 20; i++)
        {
            await HttpsDirectAsync(servers.Tls, ct);
            await HttpsProxiedAsync(proxyEndpoint, servers.Tls, ct);
        }

        var directLatency = new Samples("direct");
        var proxiedLatency = new Samples("proxied");
        for (var i = 0; i < requests; i++)
        {
            directLatency.Add(await HttpsDirectAsync(servers.Tls, ct));
            proxiedLatency.Add(await HttpsProxiedAsync(proxyEndpoint, servers.Tls, ct));
        }

        context.Out.WriteLine(Invariant($"{Name}: https direct  p50 {directLatency.Median:F2} ms, p90 {directLatency.Percentile(90):F2} ms"));
        context.Out.WriteLine(Invariant($"{Name}: https proxied p50 {proxiedLatency.Median:F2} ms, p90 {proxiedLatency.Percentile(90):F2} ms"));

        var throughputRatio = proxiedMibs / directMibs;
        var latencyRatio = proxiedLatency.Median / directLatency.Median;
        context.Out.WriteLine(Invariant($"{Name}: throughput_ratio={throughputRatio:F2} latency_ratio={latencyRatio:F2}"));

        // (c) secrets: requests on kept-alive connections, the key filled in by the policy point, against direct.
        var (keptDirect, tunnel, mitm) = await EgressMitmMeasure.RunAsync(servers, dir.Path, requests, ct);
        context.Out.WriteLine(Invariant($"egress-mitm: https direct p50 {keptDirect.Median:F3} ms, p90 {keptDirect.Percentile(90):F3} ms (kept-alive)"));
        context.Out.WriteLine(Invariant($"egress-mitm: https tunnel p50 {tunnel.Median:F3} ms, p90 {tunnel.Percentile(90):F3} ms (kept-alive, through the proxy, no secret)"));
        context.Out.WriteLine(Invariant($"egress-mitm: https mitm   p50 {mitm.Median:F3} ms, p90 {mitm.Percentile(90):F3} ms (kept-alive, key filled in)"));
        context.Out.WriteLine(Invariant($"egress-mitm: latency_ratio={mitm.Median / keptDirect.Median:F2}"));
        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static async Task<TimeSpan> DownloadDirectAsync(IPEndPoint server, long size, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, ct);
        await DownloadAsync(socket, size, ct);
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<TimeSpan> DownloadProxiedAsync(EndPoint proxy, IPEndPoint server, long size, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(proxy, ct);
        await ConnectThroughAsync(socket, $"127.0.0.1:{server.Port}", ct);
        await DownloadAsync(socket, size, ct);
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task DownloadAsync(Socket socket, long size, CancellationToken ct)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /size/{size} HTTP/1.1\r\nHost: bulk\r\n\r\n"), SocketFlags.None, ct);
        var buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            total += n;
        }

        if (total < size)
        {
            throw new InvalidOperationException($"downloaded {total} of {size} bytes");
        }
    }

    private static async Task<TimeSpan> HttpsDirectAsync(IPEndPoint server, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, ct);
        await RequestAsync(socket, ct);
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<TimeSpan> HttpsProxiedAsync(EndPoint proxy, IPEndPoint server, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(proxy, ct);
        await ConnectThroughAsync(socket, $"{EgressBenchServers.TlsName}:{server.Port}", ct);
        await RequestAsync(socket, ct);
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task RequestAsync(Socket socket, CancellationToken ct)
    {
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = EgressBenchServers.TlsName }, ct);
        await tls.WriteAsync("GET / HTTP/1.1\r\nHost: tls.bench\r\n\r\n"u8.ToArray(), ct);
        var buffer = new byte[4096];
        var total = 0;
        int n;
        while ((n = await tls.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
        }

        if (total == 0)
        {
            throw new InvalidOperationException("the TLS server answered nothing");
        }
    }

    private static async Task ConnectThroughAsync(Socket socket, string target, CancellationToken ct)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"), SocketFlags.None, ct);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = await EgressBenchServers.ReadHeadAsync(stream, ct);
        if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the proxy refused {target}: {head}");
        }
    }

    private sealed class FixedResolver(IPAddress address) : IEgressResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IPAddress>>([address]);
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("airlock-bench-egress-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
