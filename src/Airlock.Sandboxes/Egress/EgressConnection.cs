using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Airlock.Sandboxes.Secrets;

namespace Airlock.Sandboxes.Egress;

/// <summary>One client connection of an <see cref="EgressProxy"/>: the handshake under a deadline, the checks, the copy, the record.</summary>
internal sealed partial class EgressConnection
{
    private const int MaxTunnelPreludeBytes = TlsClientHello.MaxHandshakeBytes + 1024;

    private readonly EgressProxy _proxy;
    private readonly EgressProxyOptions _options;

    // Taken when the connection is accepted, as its policy is: a rotated or withdrawn secret applies to the next one.
    private readonly SecretSet _secrets;
    private readonly Socket _client;
    private readonly EgressPolicy _policy;
    private readonly int? _hostPort;
    private readonly DateTimeOffset _started;
    private readonly long _startedTimestamp;

    private byte[] _buffer = [];
    private int _filled;
    private EgressProtocol _protocol;
    private EgressDestination _destination = new(string.Empty, 0);
    private IPAddress? _address;
    private long _bytesUp;
    private long _bytesDown;
    private bool _recorded;
    private string _allowedBy = EgressReasons.AllowedByRule;

    public EgressConnection(EgressProxy proxy, Socket client, EgressPolicy policy, int? hostPort = null)
    {
        _hostPort = hostPort;
        _proxy = proxy;
        _options = proxy.Options;
        _secrets = proxy.Secrets;
        _client = client;
        _policy = policy;
        _started = _options.Time.GetUtcNow();
        _startedTimestamp = _options.Time.GetTimestamp();
    }

    /// <summary>Closes the connection unheard and records why.</summary>
    public async Task RejectAsync(string reason)
    {
        _client.Dispose();
        await RecordAsync(EgressVerdict.Refused, reason).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(_options.MaxHeadBytes, MaxTunnelPreludeBytes) + 512);
        Socket? upstream = null;
        try
        {
            using (var deadline = new CancellationTokenSource(_options.HandshakeTimeout, _options.Time))
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token))
            {
                try
                {
                    upstream = await HandshakeAsync(handshake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
                {
                    await RecordAsync(EgressVerdict.Refused, EgressReasons.HandshakeTimeout).ConfigureAwait(false);
                    return;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    await RecordAsync(EgressVerdict.Refused, EgressReasons.ProxyStopped).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
                {
                    await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
                    return;
                }
            }

            if (upstream is null)
            {
                return;
            }

            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            await (_protocol == EgressProtocol.Http ? ExchangeAsync(upstream, stopping)
                : _intercept ? InterceptAsync(upstream, stopping)
                : PumpAsync(upstream, stopping)).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Allowed, _allowedBy).ConfigureAwait(false);
        }
        finally
        {
            upstream?.Dispose();
            _client.Dispose();
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            // Whatever went wrong, the connection is on the record.
            await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
        }
    }

    /// <summary>Reads and checks what the client asks for; returns the upstream socket to copy to, or null when refused (and recorded).</summary>
    private async Task<Socket?> HandshakeAsync(CancellationToken ct)
    {
        if (_hostPort is { } port)
        {
            return await HostPortAsync(port, ct).ConfigureAwait(false);
        }

        if (!await FillAsync(1, _options.MaxHeadBytes, ct).ConfigureAwait(false))
        {
            await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
            return null;
        }

        if (_buffer[0] == 5)
        {
            _protocol = EgressProtocol.Socks5;
            return await Socks5Async(ct).ConfigureAwait(false);
        }

        _protocol = EgressProtocol.Http;
        int end;
        var searched = 0;
        while ((end = HttpRequestHead.FindEnd(_buffer.AsSpan(searched, _filled - searched))) < 0)
        {
            if (_buffer.AsSpan(0, Math.Min(_filled, 8)).SequenceEqual("CONNECT "u8[..Math.Min(_filled, 8)]))
            {
                _protocol = EgressProtocol.Connect;
            }

            searched = Math.Max(0, _filled - 3);
            if (_filled >= _options.MaxHeadBytes)
            {
                return await HeadTooLargeAsync(ct).ConfigureAwait(false);
            }

            if (!await FillAsync(_filled + 1, _options.MaxHeadBytes, ct).ConfigureAwait(false))
            {
                await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
                return null;
            }
        }

        end += searched;
        if (end > _options.MaxHeadBytes)
        {
            return await HeadTooLargeAsync(ct).ConfigureAwait(false);
        }

        if (!HttpRequestHead.TryParse(_buffer.AsSpan(0, end), out var request, out var problem))
        {
            return await BadRequestAsync(problem, ct).ConfigureAwait(false);
        }

        Consume(end);
        if (request.Method == "CONNECT")
        {
            _protocol = EgressProtocol.Connect;
            return await ConnectAsync(request, ct).ConfigureAwait(false);
        }

        _protocol = EgressProtocol.Http;
        return await ForwardAsync(request, ct).ConfigureAwait(false);
    }

    private async Task<Socket?> ConnectAsync(HttpRequestHead request, CancellationToken ct)
    {
        if (!EgressAuthority.TryParse(request.Target, null, out var destination, out var problem))
        {
            return await BadRequestAsync($"the CONNECT target {problem}", ct).ConfigureAwait(false);
        }

        _destination = destination;
        var (decision, candidates) = await DecideAsync(ct).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await RespondAsync(403, "Forbidden", RefusalText(decision.Reason), ct).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Refused, decision.Reason).ConfigureAwait(false);
            return null;
        }

        await SendToClientAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
        return await OpenTunnelAsync(candidates, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The tunnel's first bytes are read before connecting: if they are a TLS ClientHello for a named destination, its
    /// SNI must name that destination, or an allowed name could front for any other site behind the same address.
    /// </summary>
    private async Task<Socket?> OpenTunnelAsync(IReadOnlyList<IPAddress> candidates, CancellationToken ct)
    {
        var named = !EgressHost.TryParseAddress(_destination.Host, out _);
        var secrets = _secrets.BindsAny(_destination.Host, _destination.Port);
        if (named || secrets)
        {
            while (true)
            {
                if (_filled == 0 && !await FillAsync(1, MaxTunnelPreludeBytes, ct).ConfigureAwait(false))
                {
                    await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
                    return null;
                }

                var hello = TlsClientHello.Inspect(_buffer.AsSpan(0, _filled));
                if (hello.Status == TlsClientHello.Status.NotTls)
                {
                    break;
                }

                if (hello.Status == TlsClientHello.Status.Parsed)
                {
                    if (named && hello.ServerName is { } sni && !string.Equals(sni.TrimEnd('.'), _destination.Host, StringComparison.OrdinalIgnoreCase))
                    {
                        await RecordAsync(EgressVerdict.Refused, EgressReasons.SniMismatch).ConfigureAwait(false);
                        return null;
                    }

                    // Only TLS is intercepted: a secret never leaves in clear, whatever port the sandbox picks.
                    _intercept = secrets;
                    break;
                }

                if (hello.Status == TlsClientHello.Status.Malformed || hello.Needed > MaxTunnelPreludeBytes)
                {
                    await RecordAsync(EgressVerdict.Refused, EgressReasons.TlsMalformed).ConfigureAwait(false);
                    return null;
                }

                if (!await FillAsync(hello.Needed, MaxTunnelPreludeBytes, ct).ConfigureAwait(false))
                {
                    await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
                    return null;
                }
            }
        }

        var upstream = await ConnectUpstreamAsync(candidates, ct).ConfigureAwait(false);
        if (upstream is null)
        {
            await RecordAsync(EgressVerdict.Allowed, EgressReasons.UpstreamUnreachable).ConfigureAwait(false);
            return null;
        }

        if (_intercept)
        {
            // The ClientHello is the policy point's to answer, not the host's.
            _prelude = _buffer.AsSpan(0, _filled).ToArray();
            _filled = 0;
        }
        else if (_filled > 0)
        {
            await SendAllAsync(upstream, _buffer.AsMemory(0, _filled), ct).ConfigureAwait(false);
            _bytesUp += _filled;
            _filled = 0;
        }

        return upstream;
    }

    /// <summary>Decides the destination, then resolves it and keeps the addresses that pass, in the resolver's order.</summary>
    private async Task<(EgressDecision Decision, IReadOnlyList<IPAddress> Candidates)> DecideAsync(CancellationToken ct)
    {
        var decision = _policy.CheckDestination(_destination.Host, _destination.Port, _proxy.HostAddresses);
        if (EgressHost.TryParseAddress(_destination.Host, out var literal))
        {
            _address = literal;
            _allowedBy = decision.Reason;
            return (decision, decision.Allowed ? [literal] : []);
        }

        if (!decision.Allowed)
        {
            return (decision, []);
        }

        IReadOnlyList<IPAddress> resolved;
        try
        {
            resolved = await _options.Resolver.ResolveAsync(_destination.Host, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return (EgressDecision.Refuse(EgressReasons.ResolveFailed), []);
        }

        var passing = new List<IPAddress>();
        EgressDecision? refusal = null;
        foreach (var address in resolved.Select(EgressHost.Canonical).Distinct())
        {
            var check = _policy.CheckAddress(address, _destination.Port, requested: false, _proxy.HostAddresses);
            if (check.Allowed)
            {
                passing.Add(address);
            }
            else if (refusal is null)
            {
                refusal = check;
                _address = address;
            }
        }

        if (passing.Count == 0)
        {
            return (refusal ?? EgressDecision.Refuse(EgressReasons.ResolveFailed), []);
        }

        _address = passing[0];
        _allowedBy = decision.Reason;
        return (decision, passing);
    }

    /// <summary>A granted host port: the host's loopback (IPv4, then IPv6), no handshake and no policy.</summary>
    private async Task<Socket?> HostPortAsync(int port, CancellationToken ct)
    {
        _protocol = EgressProtocol.HostPort;
        _destination = new EgressDestination(Specs.NetworkPolicy.HostServiceName, port);
        _allowedBy = EgressReasons.AllowedHostPort;
        var upstream = await ConnectUpstreamAsync([IPAddress.Loopback, IPAddress.IPv6Loopback], ct).ConfigureAwait(false);
        if (upstream is null)
        {
            await RecordAsync(EgressVerdict.Allowed, EgressReasons.UpstreamUnreachable).ConfigureAwait(false);
        }

        return upstream;
    }

    private async Task<Socket?> ConnectUpstreamAsync(IReadOnlyList<IPAddress> candidates, CancellationToken ct)
    {
        foreach (var address in candidates)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // An IPEndPoint, never a name: the OS gets no chance to resolve again (and differently).
                await socket.ConnectAsync(new IPEndPoint(address, _destination.Port), ct).ConfigureAwait(false);
                _address = address;
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        return null;
    }

    /// <summary>Reads until at least <paramref name="count"/> bytes are buffered (never past <paramref name="limit"/>); false at end of stream.</summary>
    private async ValueTask<bool> FillAsync(int count, int limit, CancellationToken ct)
    {
        while (_filled < count)
        {
            var n = await _client.ReceiveAsync(_buffer.AsMemory(_filled, limit - _filled), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            _filled += n;
        }

        return true;
    }

    private void Consume(int count)
    {
        _buffer.AsSpan(count, _filled - count).CopyTo(_buffer);
        _filled -= count;
    }

    private async Task<Socket?> HeadTooLargeAsync(CancellationToken ct)
    {
        await RespondAsync(431, "Request Header Fields Too Large", $"airlock egress: the request head is larger than {_options.MaxHeadBytes} bytes\n", ct).ConfigureAwait(false);
        await RecordAsync(EgressVerdict.Refused, EgressReasons.HeadTooLarge).ConfigureAwait(false);
        return null;
    }

    private async Task<Socket?> BadRequestAsync(string problem, CancellationToken ct)
    {
        await RespondAsync(400, "Bad Request", $"airlock egress: {problem}\n", ct).ConfigureAwait(false);
        await RecordAsync(EgressVerdict.Refused, EgressReasons.BadRequest).ConfigureAwait(false);
        return null;
    }

    private string RefusalText(string reason)
    {
        var addressRefused = reason.StartsWith("address-", StringComparison.Ordinal) && _address is not null;
        var why = reason switch
        {
            EgressReasons.ModeNone => "this sandbox has no network access",
            EgressReasons.NotAllowed => "it is not in this sandbox's allowlist",
            EgressReasons.ResolveFailed => "its name does not resolve to any address",
            EgressReasons.HostMismatch => "the Host header names another host than the request URI",
            _ when addressRefused => $"it is at {_address}, a {reason["address-".Length..]} address, reachable only through a rule naming that address",
            _ => reason,
        };
        var hint = reason is EgressReasons.ModeNone or EgressReasons.NotAllowed || addressRefused
            ? _options.AllowHint(addressRefused ? new EgressDestination(_address!.ToString(), _destination.Port) : _destination)
            : string.Empty;
        return $"airlock egress: {_destination} refused ({reason}): {why}.\n{hint}{(hint.Length > 0 ? "\n" : string.Empty)}";
    }

    /// <summary>The proxy's own answer: plain text, then the connection closes.</summary>
    private static byte[] Response(int status, string phrase, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {phrase}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes.Length.ToString(CultureInfo.InvariantCulture)}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. bytes];
    }

    /// <summary>The refusal of a request carrying the placeholder of <paramref name="secret"/> to a host it is not bound to.</summary>
    private string MisdirectedText(Secrets.SecretBinding secret) =>
        $"airlock egress: {_destination} refused ({EgressReasons.SecretMisdirected}): the request carries the placeholder of secret {secret.Name}, which may only go to {secret.HostList}.\n";

    private async Task RespondAsync(int status, string phrase, string body, CancellationToken ct)
    {
        try
        {
            await SendToClientAsync(Response(status, phrase, body), ct).ConfigureAwait(false);
            _client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client left before hearing why; the record still says.
        }
    }

    private async Task SendToClientAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await SendAllAsync(_client, bytes, ct).ConfigureAwait(false);
        _bytesDown += bytes.Length;
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        while (bytes.Length > 0)
        {
            var n = await socket.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false);
            bytes = bytes[n..];
        }
    }

    private async Task RecordAsync(EgressVerdict verdict, string reason)
    {
        if (_recorded)
        {
            return;
        }

        _recorded = true;
        var record = new EgressRecord(
            _started, _options.SandboxId, _protocol, _destination.Host, _destination.Port, _address, verdict, reason,
            _bytesUp, _bytesDown, _options.Time.GetElapsedTime(_startedTimestamp));
        var tags = new TagList { { "verdict", verdict == EgressVerdict.Allowed ? "allowed" : "refused" }, { "protocol", ProtocolName(_protocol) }, { "reason", reason } };
        EgressMetrics.Connections.Add(1, tags);
        if (_bytesUp > 0)
        {
            EgressMetrics.Bytes.Add(_bytesUp, new KeyValuePair<string, object?>("direction", "up"));
        }

        if (_bytesDown > 0)
        {
            EgressMetrics.Bytes.Add(_bytesDown, new KeyValuePair<string, object?>("direction", "down"));
        }

        if (verdict == EgressVerdict.Refused)
        {
            EgressLogMessages.Refused(_options.Logger, _options.SandboxId, _protocol, _destination.ToString(), reason);
        }
        else
        {
            EgressLogMessages.Finished(_options.Logger, _options.SandboxId, _protocol, _destination.ToString(), _address?.ToString(), _bytesUp, _bytesDown);
        }

        try
        {
            await _options.Log.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            EgressLogMessages.RecordLost(_options.Logger, _options.SandboxId, ex);
        }
    }

    internal static string ProtocolName(EgressProtocol protocol) => protocol switch
    {
        EgressProtocol.Http => "http",
        EgressProtocol.Connect => "connect",
        EgressProtocol.Socks5 => "socks5",
        _ => "unknown",
    };
}
