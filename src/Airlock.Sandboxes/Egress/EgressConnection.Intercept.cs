using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// A tunnel to a host a secret is bound to: the policy point ends the sandbox's TLS with a certificate of the sandbox's
/// own authority, opens its own TLS to the host (verified against the host's trust store), and passes requests on one by
/// one, each head checked and its placeholders filled in (<see cref="Secrets.SecretSet"/>). Responses pass untouched.
/// </summary>
internal sealed partial class EgressConnection
{
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    private byte[] _prelude = [];
    private bool _intercept;

    private async Task InterceptAsync(Socket upstream, CancellationToken stopping)
    {
        var host = _destination.Host;
        await using var client = new SslStream(new PrefixedStream(_prelude, new NetworkStream(_client, ownsSocket: false)), leaveInnerStreamOpen: false);
        await using var server = new SslStream(new NetworkStream(upstream, ownsSocket: false), leaveInnerStreamOpen: false);
        using (var deadline = new CancellationTokenSource(_options.HandshakeTimeout, _options.Time))
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token))
        {
            try
            {
                await client.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificateContext = _options.Authority!.ContextFor(host), ApplicationProtocols = Http11Only },
                    handshake.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                // Most often the tool does not trust the sandbox's authority (it brings its own certificate store).
                await RecordAsync(EgressVerdict.Refused, EgressReasons.InterceptRefused).ConfigureAwait(false);
                return;
            }

            try
            {
                var options = new SslClientAuthenticationOptions { TargetHost = host, ApplicationProtocols = Http11Only };
                if (_options.UpstreamRoots is { } roots)
                {
                    options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                    options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
                }

                await server.AuthenticateAsClientAsync(options, handshake.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                var why = ex is AuthenticationException ? $"its certificate did not verify ({ex.Message})" : "it did not complete a TLS handshake";
                await RespondAsync(client, 502, "Bad Gateway", $"airlock egress: {_destination} refused: {why}. Secrets are only sent to a host that proves who it is.\n", stopping).ConfigureAwait(false);
                await RecordAsync(EgressVerdict.Refused, EgressReasons.UpstreamCertificate).ConfigureAwait(false);
                await LingerAsync(stopping).ConfigureAwait(false);
                return;
            }
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var down = CopyDownAsync(server, client, upstream, cancel.Token);
        var requests = ForwardRequestsAsync(client, server, upstream, cancel.Token);
        if (await Task.WhenAny(down, requests).ConfigureAwait(false) == down)
        {
            // The host closed: whatever the sandbox sends now has nowhere to go.
            await cancel.CancelAsync().ConfigureAwait(false);
        }

        if (await requests.ConfigureAwait(false) is { } refused)
        {
            // The response to an earlier request may be on its way: stop it before the refusal is written in its place.
            await cancel.CancelAsync().ConfigureAwait(false);
            await down.ConfigureAwait(false);
            if (refused.Status > 0)
            {
                await RespondAsync(client, refused.Status, refused.Phrase, refused.Body, stopping).ConfigureAwait(false);
            }

            await RecordAsync(EgressVerdict.Refused, refused.Reason).ConfigureAwait(false);
            await LingerAsync(stopping).ConfigureAwait(false);
            return;
        }

        await down.ConfigureAwait(false);
    }

    /// <summary>Reads, checks and passes on the sandbox's requests until it stops sending; the refusal that ended them, or null.</summary>
    private async Task<InterceptRefusal?> ForwardRequestsAsync(SslStream client, SslStream server, Socket upstream, CancellationToken ct)
    {
        var reader = new HttpRequestReader(client, _options.MaxHeadBytes);
        var up = (int n) => Count(true, n);
        var forwarded = 0;
        try
        {
            while (true)
            {
                var (request, problem) = await reader.ReadHeadAsync(ct).ConfigureAwait(false);
                if (problem is not null)
                {
                    return new InterceptRefusal(400, "Bad Request", $"airlock egress: {problem}\n", EgressReasons.BadRequest);
                }

                if (request is null && forwarded == 0)
                {
                    // In TLS 1.3 the handshake ends on the policy point's side before the tool has checked the
                    // certificate: a tool that does not trust the sandbox's authority leaves here, before any request.
                    return new InterceptRefusal(0, string.Empty, string.Empty, EgressReasons.InterceptRefused);
                }

                if (request is null)
                {
                    await server.ShutdownAsync().ConfigureAwait(false);
                    upstream.Shutdown(SocketShutdown.Send);
                    return null;
                }

                if (CheckIntercepted(request) is { } refused)
                {
                    return refused;
                }

                var rewrite = _secrets.Rewrite(request.Target, request.Headers, _destination);
                if (rewrite.Misdirected is { } secret)
                {
                    return new InterceptRefusal(403, "Forbidden", MisdirectedText(secret), EgressReasons.SecretMisdirected);
                }

                foreach (var name in rewrite.Added.Distinct())
                {
                    EgressLogMessages.SecretAdded(_options.Logger, _options.SandboxId, name, _destination.ToString());
                }

                forwarded++;
                var head = Head(request, rewrite.Headers);
                await server.WriteAsync(head, ct).ConfigureAwait(false);
                up(head.Length);
                if (await CopyBodyAsync(reader, request, server, up, ct).ConfigureAwait(false) is { } framing)
                {
                    return new InterceptRefusal(400, "Bad Request", $"airlock egress: {framing}\n", EgressReasons.BadRequest);
                }

                if (request.Values("Upgrade").Any())
                {
                    // A protocol switch (WebSocket): from here on it is a plain tunnel to the same host.
                    await reader.CopyRestAsync(server, up, ct).ConfigureAwait(false);
                    return null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
        {
            return forwarded == 0 && ex is not OperationCanceledException
                ? new InterceptRefusal(0, string.Empty, string.Empty, EgressReasons.InterceptRefused)
                : null;
        }
    }

    /// <summary>A request in an intercepted tunnel must be for the tunnel's host: a CDN fronting other sites must not be handed a key for one of them.</summary>
    private InterceptRefusal? CheckIntercepted(HttpRequestHead request)
    {
        if (!request.Target.StartsWith('/') && !(request.Method == "OPTIONS" && request.Target == "*"))
        {
            return new InterceptRefusal(400, "Bad Request", "airlock egress: requests inside a tunnel name a path (origin form), not a URL\n", EgressReasons.BadRequest);
        }

        var hosts = request.Values("Host").ToList();
        // The name decides where a front routes the request; the port cannot (the connection is made already), and clients
        // differ on whether they write a non-default one.
        if (hosts.Count != 1 || !EgressAuthority.TryParse(hosts[0], _destination.Port, out var named, out _)
            || !string.Equals(named.Host, _destination.Host, StringComparison.OrdinalIgnoreCase))
        {
            return new InterceptRefusal(403, "Forbidden", RefusalText(EgressReasons.HostMismatch), EgressReasons.HostMismatch);
        }

        return null;
    }

    private static async Task<string?> CopyBodyAsync(HttpRequestReader reader, HttpRequestHead request, Stream to, Action<int> counted, CancellationToken ct)
    {
        var encodings = request.Values("Transfer-Encoding").ToList();
        var lengths = request.Values("Content-Length").ToList();
        if (encodings.Count > 0)
        {
            // Both framings at once is how requests are smuggled: refused, like a coding that does not end in chunked.
            if (lengths.Count > 0 || !string.Join(',', encodings).TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return "the request's body framing (Transfer-Encoding with Content-Length, or not ending in chunked) is refused";
            }

            return await reader.CopyChunkedAsync(to, counted, ct).ConfigureAwait(false);
        }

        if (lengths.Count == 0)
        {
            return null;
        }

        if (lengths.Count > 1 || !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return "the Content-Length is not one number";
        }

        return await reader.CopyAsync(length, to, counted, ct).ConfigureAwait(false) ? null : "the connection ended inside a request body";
    }

    private async Task CopyDownAsync(SslStream server, SslStream client, Socket upstream, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await server.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                Count(up: false, n);
            }

            await client.ShutdownAsync().ConfigureAwait(false);
            _client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
        {
            // Either side went away; the connection ends and is recorded.
        }
        finally
        {
            upstream.Shutdown(SocketShutdown.Both);
        }
    }

    private static byte[] Head(HttpRequestHead request, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var b = new StringBuilder(256).Append(request.Method).Append(' ').Append(request.Target).Append(' ').Append(request.Version).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            b.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.Latin1.GetBytes(b.Append("\r\n").ToString());
    }

    private async Task RespondAsync(SslStream client, int status, string phrase, string body, CancellationToken ct)
    {
        var response = Response(status, phrase, body);
        try
        {
            await client.WriteAsync(response, ct).ConfigureAwait(false);
            await client.ShutdownAsync().ConfigureAwait(false);
            _bytesDown += response.Length;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The sandbox left before hearing why; the record still says.
        }
    }

    /// <summary>
    /// Waits, briefly and for a bounded number of bytes, for the sandbox to close its side after an answer. A socket
    /// closed with unread bytes, or that receives bytes after it closed (the request a tool sends right after its
    /// handshake, while the upstream handshake was failing), answers with a reset that can overtake the answer.
    /// </summary>
    private async Task LingerAsync(CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(_options.HandshakeTimeout, _options.Time);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var buffer = new byte[4096];
        try
        {
            _client.Shutdown(SocketShutdown.Send);
            for (var left = _options.MaxHeadBytes + buffer.Length; left > 0;)
            {
                var n = await _client.ReceiveAsync(buffer, SocketFlags.None, linger.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                left -= n;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Gone already, or never closing: either way the connection ends here.
        }
    }

    /// <summary>Why requests stopped, and the answer the sandbox gets (none when <paramref name="Status"/> is 0: it is not listening).</summary>
    private sealed record InterceptRefusal(int Status, string Phrase, string Body, string Reason);
}
