using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Sandboxes.Egress;

/// <summary>Plain HTTP proxy requests: one per connection, checked, and forwarded in origin form with <c>Connection: close</c>.</summary>
internal sealed partial class EgressConnection
{
    // Hop-by-hop headers: they speak to the proxy, not the server, and Connection is the proxy's to set.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "TE", "Trailer", "Upgrade",
    };

    private long _bodyLeft;

    /// <summary>
    /// Checks an absolute-form request, connects, and sends its head and what of its body has arrived. The Host header
    /// must name the URI's host: a server behind an allowed address must not be asked for another site.
    /// </summary>
    private async Task<Socket?> ForwardAsync(HttpRequestHead request, CancellationToken ct)
    {
        var target = request.Target;
        if (target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return await BadRequestAsync("https URLs go through CONNECT; set this proxy as the https proxy", ct).ConfigureAwait(false);
        }

        if (!target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return await BadRequestAsync("this is a proxy: send requests with an absolute http:// URL", ct).ConfigureAwait(false);
        }

        var rest = target[7..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            return await BadRequestAsync("a URL with user info (user@host) is not accepted", ct).ConfigureAwait(false);
        }

        if (!EgressAuthority.TryParse(authority, 80, out var destination, out var problem))
        {
            return await BadRequestAsync($"the URL {problem}", ct).ConfigureAwait(false);
        }

        _destination = destination;
        var path = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];
        var fragment = path.IndexOf('#', StringComparison.Ordinal);
        path = fragment < 0 ? path : path[..fragment];
        var originForm = path.StartsWith('/') ? path : "/" + path;

        var hosts = request.Values("Host").ToList();
        if (hosts.Count > 1)
        {
            return await BadRequestAsync("more than one Host header", ct).ConfigureAwait(false);
        }

        if (hosts.Count == 1 && (!EgressAuthority.TryParse(hosts[0], 80, out var named, out _) || named != destination))
        {
            await RespondAsync(403, "Forbidden", RefusalText(EgressReasons.HostMismatch), ct).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Refused, EgressReasons.HostMismatch).ConfigureAwait(false);
            return null;
        }

        if (_secrets.Rewrite(request.Target, request.Headers, destination).Misdirected is { } secret)
        {
            // Plain HTTP never gets a real value (it would cross the network in clear); a placeholder bound elsewhere is stopped.
            await RespondAsync(403, "Forbidden", MisdirectedText(secret), ct).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Refused, EgressReasons.SecretMisdirected).ConfigureAwait(false);
            return null;
        }

        if (request.Values("Transfer-Encoding").Any())
        {
            await RespondAsync(501, "Not Implemented", "airlock egress: request bodies with Transfer-Encoding are not forwarded; send a Content-Length, or use https (CONNECT)\n", ct).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Refused, EgressReasons.Unsupported).ConfigureAwait(false);
            return null;
        }

        var lengths = request.Values("Content-Length").ToList();
        if (lengths.Count > 1 || (lengths.Count == 1 && !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out _bodyLeft)))
        {
            return await BadRequestAsync("the Content-Length is not one number", ct).ConfigureAwait(false);
        }

        var (decision, candidates) = await DecideAsync(ct).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await RespondAsync(403, "Forbidden", RefusalText(decision.Reason), ct).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Refused, decision.Reason).ConfigureAwait(false);
            return null;
        }

        var upstream = await ConnectUpstreamAsync(candidates, ct).ConfigureAwait(false);
        if (upstream is null)
        {
            await RespondAsync(502, "Bad Gateway", $"airlock egress: {_destination} did not accept a connection\n", ct).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Allowed, EgressReasons.UpstreamUnreachable).ConfigureAwait(false);
            return null;
        }

        try
        {
            var head = OriginHead(request, originForm, authority);
            await SendAllAsync(upstream, head, ct).ConfigureAwait(false);
            _bytesUp += head.Length;
            // What came after the head is the body, up to its length; anything beyond would be a second request,
            // which this connection does not carry.
            var body = (int)Math.Min(_filled, _bodyLeft);
            await SendAllAsync(upstream, _buffer.AsMemory(0, body), ct).ConfigureAwait(false);
            _bytesUp += body;
            _bodyLeft -= body;
            _filled = 0;
            return upstream;
        }
        catch
        {
            upstream.Dispose();
            throw;
        }
    }

    private static byte[] OriginHead(HttpRequestHead request, string originForm, string authority)
    {
        var named = request.Values("Connection")
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var b = new StringBuilder(256).Append(request.Method).Append(' ').Append(originForm).Append(' ').Append(request.Version).Append("\r\n");
        if (!request.Values("Host").Any())
        {
            b.Append("Host: ").Append(authority).Append("\r\n");
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!HopByHop.Contains(name) && !named.Contains(name))
            {
                b.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        b.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(b.ToString());
    }

    /// <summary>Sends the rest of the body up and the response down; the exchange is over when the server closes.</summary>
    private async Task ExchangeAsync(Socket upstream, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var up = _bodyLeft > 0 ? CopyAsync(_client, upstream, up: true, _bodyLeft, shutdownAfter: false, cancel.Token) : Task.FromResult(true);
        await CopyAsync(upstream, _client, up: false, long.MaxValue, shutdownAfter: true, cancel.Token).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        await up.ConfigureAwait(false);
    }
}
