using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Airlock.Sandboxes.Egress;
using Microsoft.Extensions.Time.Testing;

namespace Airlock.Sandboxes.Tests.Egress;

/// <summary>The proxy over real sockets: a unix-socket listener in front, real servers on 127.0.0.1 behind.</summary>
public sealed class EgressProxyTests : IAsyncLifetime
{
    private static readonly IPAddress[] Loopback = [IPAddress.Loopback];
    private readonly LoopbackServers _servers = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _servers.DisposeAsync();

    private static Dictionary<string, IPAddress[]> Names => new() { ["echo.test"] = Loopback, ["web.test"] = Loopback, ["tls.test"] = Loopback, ["other.test"] = Loopback };

    [Fact]
    public async Task A_tunnel_to_an_explicitly_allowed_loopback_address_carries_bytes_both_ways_and_records_them()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("127.0.0.1/32"));

        var (socket, head) = await h.ConnectTunnelAsync($"127.0.0.1:{_servers.Echo.Port}");
        using (socket)
        {
            head.ShouldStartWith("HTTP/1.1 200");
            await ProxyHarness.SendAsync(socket, "ping over the tunnel");
            socket.Shutdown(SocketShutdown.Send);
            (await ProxyHarness.ReadTextToEndAsync(socket)).ShouldBe("ping over the tunnel");
        }

        var record = await h.RecordAsync();
        record.ShouldBe(record with
        {
            SandboxId = "sbx-test", Protocol = EgressProtocol.Connect, Host = "127.0.0.1", Port = _servers.Echo.Port,
            Address = IPAddress.Loopback, Verdict = EgressVerdict.Allowed, Reason = EgressReasons.AllowedByRule,
        });
        record.BytesUp.ShouldBe(20);
        record.BytesDown.ShouldBe(20 + head.Length);
    }

    [Fact]
    public async Task A_host_port_listener_carries_bytes_to_that_loopback_port_whatever_the_policy_and_records_it()
    {
        await using var h = new ProxyHarness(EgressPolicy.Deny);
        using var dir = new TempDirectory("airlock-hostport-");
        var path = dir.Combine("host.sock");
        h.Proxy.ListenUnixHostPort(path, _servers.Echo.Port);

        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ProxyHarness.Cancel());
            // No handshake: what the sandbox sends is what the host's service gets.
            await ProxyHarness.SendAsync(socket, "CONNECT is just bytes here");
            socket.Shutdown(SocketShutdown.Send);
            (await ProxyHarness.ReadTextToEndAsync(socket)).ShouldBe("CONNECT is just bytes here");
        }

        var record = await h.RecordAsync();
        record.ShouldBe(record with
        {
            Protocol = EgressProtocol.HostPort, Host = "host.airlock.internal", Port = _servers.Echo.Port,
            Address = IPAddress.Loopback, Verdict = EgressVerdict.Allowed, Reason = EgressReasons.AllowedHostPort, BytesUp = 26, BytesDown = 26,
        });
        Should.Throw<ArgumentOutOfRangeException>(() => h.Proxy.ListenUnixHostPort(dir.Combine("zero.sock"), 0));
    }

    [Fact]
    public async Task Without_an_address_rule_a_loopback_destination_is_refused_with_a_hint()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("github.com"));

        var (socket, head) = await h.ConnectTunnelAsync($"127.0.0.1:{_servers.Echo.Port}");
        using (socket)
        {
            head.ShouldStartWith("HTTP/1.1 403 Forbidden");
            var body = await ProxyHarness.ReadTextToEndAsync(socket);
            body.ShouldContain($"127.0.0.1:{_servers.Echo.Port} refused (address-loopback)");
            body.ShouldContain("to allow it: airlock egress allow sbx-test 127.0.0.1");
        }

        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.Loopback);
    }

    [Fact]
    public async Task An_allowed_name_that_resolves_to_loopback_is_refused()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("allowed.example"), new() { ["allowed.example"] = Loopback });

        var (socket, head) = await h.ConnectTunnelAsync($"allowed.example:{_servers.Echo.Port}");
        socket.Dispose();

        head.ShouldStartWith("HTTP/1.1 403");
        var record = await h.RecordAsync();
        (record.Verdict, record.Reason, record.Address).ShouldBe((EgressVerdict.Refused, EgressReasons.Loopback, IPAddress.Loopback));
    }

    [Fact]
    public async Task A_name_not_in_the_allowlist_is_refused_before_it_is_resolved()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("github.com", "127.0.0.1/32"), Names);

        var (socket, head) = await h.ConnectTunnelAsync($"echo.test:{_servers.Echo.Port}");
        socket.Dispose();

        head.ShouldStartWith("HTTP/1.1 403");
        var record = await h.RecordAsync();
        (record.Reason, record.Address).ShouldBe((EgressReasons.NotAllowed, null));
    }

    [Fact]
    public async Task Https_with_the_sni_of_the_connect_host_reaches_the_tls_server()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("tls.test", "127.0.0.1/32"), Names);

        var (socket, head) = await h.ConnectTunnelAsync($"tls.test:{_servers.Tls.Port}");
        head.ShouldStartWith("HTTP/1.1 200");
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "tls.test" }, ProxyHarness.Cancel());
        await tls.WriteAsync("GET / HTTP/1.1\r\nHost: tls.test\r\n\r\n"u8.ToArray(), ProxyHarness.Cancel());
        var reply = await new StreamReader(tls).ReadToEndAsync(ProxyHarness.Cancel());

        reply.ShouldEndWith("secret over tls");
    }

    [Fact]
    public async Task A_connect_whose_tls_names_another_host_is_refused_as_sni_mismatch()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("tls.test", "127.0.0.1/32"), Names);

        var (socket, head) = await h.ConnectTunnelAsync($"tls.test:{_servers.Tls.Port}");
        head.ShouldStartWith("HTTP/1.1 200");
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false, (_, _, _, _) => true);
        await Should.ThrowAsync<Exception>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "other.test" }, ProxyHarness.Cancel()));

        var record = await h.RecordAsync();
        (record.Verdict, record.Reason).ShouldBe((EgressVerdict.Refused, EgressReasons.SniMismatch));
    }

    [Fact]
    public async Task A_client_hello_dripped_a_few_bytes_at_a_time_is_still_read_and_checked()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("tls.test", "127.0.0.1/32"), Names);
        var hello = await TlsClientHelloTests.CaptureHelloAsync("other.test");

        var (socket, _) = await h.ConnectTunnelAsync($"tls.test:{_servers.Tls.Port}");
        using (socket)
        {
            for (var i = 0; i < hello.Length; i += 7)
            {
                await socket.SendAsync(hello.AsMemory(i, Math.Min(7, hello.Length - i)), SocketFlags.None, ProxyHarness.Cancel());
            }

            (await ProxyHarness.ReadToEndAsync(socket)).ShouldBeEmpty();
        }

        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.SniMismatch);
    }

    [Fact]
    public async Task A_tunnel_opening_with_an_oversized_tls_record_is_refused_not_waited_on()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("tls.test", "127.0.0.1/32"), Names);

        var (socket, _) = await h.ConnectTunnelAsync($"tls.test:{_servers.Tls.Port}");
        using (socket)
        {
            await socket.SendAsync(new byte[] { 22, 3, 1, 0xFF, 0xFF, 1, 0, 0xFF, 0xFF }, SocketFlags.None);
            (await ProxyHarness.ReadToEndAsync(socket)).ShouldBeEmpty();
        }

        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.TlsMalformed);
    }

    [Fact]
    public async Task HttpClient_through_the_tcp_listener_gets_http_and_https_from_allowed_hosts()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("web.test", "tls.test", "127.0.0.1/32"), Names);
        var proxyEndpoint = h.Proxy.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0));
        using var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://127.0.0.1:{proxyEndpoint.Port}") { BypassProxyOnLocal = false },
            UseProxy = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var client = new HttpClient(handler) { Timeout = ProxyHarness.Patience };

        (await client.GetStringAsync($"http://web.test:{_servers.Http.Port}/hello?x=1", ProxyHarness.Cancel())).ShouldBe($"hello /hello?x=1 from web.test:{_servers.Http.Port}");
        (await client.GetStringAsync($"https://tls.test:{_servers.Tls.Port}/", ProxyHarness.Cancel())).ShouldBe("secret over tls");
        var refused = await client.GetAsync($"http://elsewhere.test:{_servers.Http.Port}/", ProxyHarness.Cancel());

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync(ProxyHarness.Cancel())).ShouldContain("airlock egress allow sbx-test elsewhere.test");
    }

    [Fact]
    public async Task A_plain_request_is_forwarded_in_origin_form_with_connection_close_and_only_once()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("web.test", "127.0.0.1/32"), Names);
        var authority = $"web.test:{_servers.Http.Port}";

        using var socket = await h.ConnectAsync();
        await ProxyHarness.SendAsync(socket,
            $"GET http://{authority}/first HTTP/1.1\r\nHost: {authority}\r\nProxy-Connection: keep-alive\r\nX-Kept: yes\r\n\r\n" +
            $"GET http://{authority}/second HTTP/1.1\r\nHost: other.test\r\n\r\n");
        var reply = await ProxyHarness.ReadTextToEndAsync(socket);

        reply.ShouldEndWith($"hello /first from {authority}");
        var head = _servers.HttpHeads.ShouldHaveSingleItem();
        head.ShouldStartWith("GET /first HTTP/1.1\r\n");
        head.ShouldContain("X-Kept: yes\r\n");
        head.ShouldContain("Connection: close\r\n");
        head.ShouldNotContain("Proxy-Connection");
        var record = await h.RecordAsync();
        (record.Protocol, record.Verdict, record.BytesDown).ShouldBe((EgressProtocol.Http, EgressVerdict.Allowed, reply.Length));
        record.BytesUp.ShouldBe(head.Length);
    }

    [Fact]
    public async Task A_request_body_is_forwarded_up_to_its_content_length_and_no_further()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("127.0.0.1"));
        var authority = $"127.0.0.1:{_servers.Echo.Port}";

        using var socket = await h.ConnectAsync();
        await ProxyHarness.SendAsync(socket, $"POST http://{authority}/up HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 5\r\n\r\nhelloGET /smuggled HTTP/1.1\r\n\r\n");
        var echoed = new byte[4096];
        var read = 0;
        while (!Encoding.Latin1.GetString(echoed, 0, read).EndsWith("hello", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(echoed.AsMemory(read), SocketFlags.None, ProxyHarness.Cancel());
            n.ShouldBeGreaterThan(0, $"the proxy closed after: {Encoding.Latin1.GetString(echoed, 0, read)}");
            read += n;
        }

        // The echo server never ends a response, so the proxy is stopped to end the exchange.
        await h.Proxy.DisposeAsync();
        var rest = await ProxyHarness.ReadTextToEndAsync(socket);

        // The echo server sends back exactly what reached it: the rewritten head and five bytes of body.
        var upstream = Encoding.Latin1.GetString(echoed, 0, read) + rest;
        upstream.ShouldStartWith("POST /up HTTP/1.1\r\n");
        upstream.ShouldEndWith("Connection: close\r\n\r\nhello");
        upstream.ShouldNotContain("smuggled");
    }

    [Fact]
    public async Task A_request_whose_host_header_names_another_host_is_refused()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("web.test", "127.0.0.1/32"), Names);

        using var socket = await h.ConnectAsync();
        await ProxyHarness.SendAsync(socket, $"GET http://web.test:{_servers.Http.Port}/ HTTP/1.1\r\nHost: other.test\r\n\r\n");
        var reply = await ProxyHarness.ReadTextToEndAsync(socket);

        reply.ShouldStartWith("HTTP/1.1 403");
        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.HostMismatch);
        _servers.HttpHeads.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_large_download_through_a_plain_request_records_its_bytes()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("127.0.0.1"));

        using var socket = await h.ConnectAsync();
        await ProxyHarness.SendAsync(socket, $"GET http://127.0.0.1:{_servers.Http.Port}/size/3000000 HTTP/1.1\r\nHost: 127.0.0.1:{_servers.Http.Port}\r\n\r\n");
        var reply = await ProxyHarness.ReadToEndAsync(socket);

        reply.Length.ShouldBeGreaterThan(3_000_000);
        (await h.RecordAsync()).BytesDown.ShouldBe(reply.Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_large_download_through_a_tunnel_arrives_whole_and_counted(bool splice)
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("127.0.0.1"), tune: o => o with { Splice = splice, TunnelBufferBytes = splice ? o.TunnelBufferBytes : 0 });
        var (socket, head) = await h.ConnectTunnelAsync($"127.0.0.1:{_servers.Http.Port}");
        using (socket)
        {
            await ProxyHarness.SendAsync(socket, $"GET /size/8000000 HTTP/1.1\r\nHost: 127.0.0.1:{_servers.Http.Port}\r\n\r\n");
            var reply = await ProxyHarness.ReadToEndAsync(socket);

            var body = reply.AsSpan(reply.AsSpan().IndexOf("\r\n\r\n"u8) + 4);
            body.Length.ShouldBe(8_000_000);
            body.ContainsAnyExcept((byte)'x').ShouldBeFalse();
            socket.Shutdown(SocketShutdown.Send);
            (await h.RecordAsync()).BytesDown.ShouldBe(head.Length + reply.Length, "recorded once both sides are done");
        }
    }

    [Fact]
    public async Task Socks5_reaches_an_allowed_host_by_name()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("echo.test", "127.0.0.1/32"), Names);

        using var socket = await h.ConnectAsync();
        var reply = await SocksConnectAsync(socket, "echo.test", _servers.Echo.Port);
        reply[1].ShouldBe((byte)0x00);
        await ProxyHarness.SendAsync(socket, "socks ping");
        socket.Shutdown(SocketShutdown.Send);

        (await ProxyHarness.ReadTextToEndAsync(socket)).ShouldBe("socks ping");
        var record = await h.RecordAsync();
        (record.Protocol, record.Host, record.Verdict, record.BytesUp).ShouldBe((EgressProtocol.Socks5, "echo.test", EgressVerdict.Allowed, 10));
    }

    [Fact]
    public async Task Socks5_to_a_denied_host_is_answered_not_allowed_by_ruleset()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("github.com"), Names);

        using var socket = await h.ConnectAsync();
        var reply = await SocksConnectAsync(socket, "echo.test", _servers.Echo.Port);

        reply[1].ShouldBe((byte)0x02);
        var record = await h.RecordAsync();
        (record.Protocol, record.Reason).ShouldBe((EgressProtocol.Socks5, EgressReasons.NotAllowed));
    }

    [Fact]
    public async Task Socks5_by_ipv4_to_the_metadata_address_is_refused_even_in_open_mode()
    {
        await using var h = new ProxyHarness(new EgressPolicy(EgressMode.Open, []));

        using var socket = await h.ConnectAsync();
        await socket.SendAsync(new byte[] { 5, 1, 0, 5, 1, 0, 1, 169, 254, 169, 254, 0, 80 }, SocketFlags.None);
        var reply = await ProxyHarness.ReadToEndAsync(socket);

        reply.ShouldBe(new byte[] { 5, 0, 5, 2, 0, 1, 0, 0, 0, 0, 0, 0 });
        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.Metadata);
    }

    [Fact]
    public async Task The_metadata_address_is_refused_in_open_mode_by_literal_and_by_name()
    {
        await using var h = new ProxyHarness(new EgressPolicy(EgressMode.Open, []), new() { ["metadata.google.internal"] = [IPAddress.Parse("169.254.169.254")] });

        var (byLiteral, literalHead) = await h.ConnectTunnelAsync("169.254.169.254:80");
        byLiteral.Dispose();
        var (byName, nameHead) = await h.ConnectTunnelAsync("metadata.google.internal:80");
        byName.Dispose();

        literalHead.ShouldStartWith("HTTP/1.1 403");
        nameHead.ShouldStartWith("HTTP/1.1 403");
        (await h.RecordAsync(r => r.Host == "169.254.169.254")).Reason.ShouldBe(EgressReasons.Metadata);
        (await h.RecordAsync(r => r.Host == "metadata.google.internal")).Reason.ShouldBe(EgressReasons.Metadata);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: web.test\r\n\r\n", "absolute http:// URL")]
    [InlineData("GET https://web.test/ HTTP/1.1\r\nHost: web.test\r\n\r\n", "go through CONNECT")]
    [InlineData("GET http://user@web.test/ HTTP/1.1\r\nHost: web.test\r\n\r\n", "user info")]
    [InlineData("GET http://web.test/ HTTP/1.1\r\nHost: web.test\r\n folded\r\n\r\n", "folded")]
    [InlineData("GET http://web.test/ HTTP/1.1\r\nHost: web.test\r\nHost: web.test\r\n\r\n", "more than one Host")]
    [InlineData("GET http://web.test/ HTTP/1.1\r\nHost: web.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "Content-Length")]
    [InlineData("GET http://web.test/ HTTP/2\r\n\r\n", "HTTP/1.0 and HTTP/1.1")]
    [InlineData("CONNECT web.test HTTP/1.1\r\n\r\n", "has no port")]
    [InlineData("CONNECT ::1:80 HTTP/1.1\r\n\r\n", "without brackets")]
    public async Task Requests_two_parsers_could_read_differently_are_refused_as_bad(string request, string message)
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("web.test", "127.0.0.1/32"), Names);

        using var socket = await h.ConnectAsync();
        await ProxyHarness.SendAsync(socket, request);
        var reply = await ProxyHarness.ReadTextToEndAsync(socket);

        reply.ShouldStartWith("HTTP/1.1 400");
        reply.ShouldContain(message);
        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.BadRequest);
        _servers.HttpHeads.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("2130706433")]
    [InlineData("127.1")]
    [InlineData("[::1]")]
    public async Task Loopback_in_other_spellings_is_still_loopback(string host)
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("*.test"), Names);

        var (socket, head) = await h.ConnectTunnelAsync($"{host}:{_servers.Echo.Port}");
        socket.Dispose();

        head.ShouldStartWith("HTTP/1.1 403");
        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.Loopback);
    }

    [Fact]
    public async Task Socks5_by_ipv6_literal_is_checked_as_an_address()
    {
        await using var h = new ProxyHarness(new EgressPolicy(EgressMode.Open, []));

        using var socket = await h.ConnectAsync();
        await socket.SendAsync((byte[])[5, 1, 0, 5, 1, 0, 4, .. IPAddress.IPv6Loopback.GetAddressBytes(), 0, 80], SocketFlags.None, ProxyHarness.Cancel());
        var reply = await ProxyHarness.ReadToEndAsync(socket);

        reply[3].ShouldBe((byte)0x02);
        var record = await h.RecordAsync();
        (record.Host, record.Reason).ShouldBe(("::1", EgressReasons.Loopback));
    }

    [Fact]
    public async Task Socks5_without_the_no_auth_method_is_turned_away()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("echo.test"), Names);

        using var socket = await h.ConnectAsync();
        await socket.SendAsync(new byte[] { 5, 1, 2 }, SocketFlags.None);

        (await ProxyHarness.ReadToEndAsync(socket)).ShouldBe(new byte[] { 5, 0xFF });
        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.Unsupported);
    }

    [Fact]
    public async Task Mode_none_refuses_everything()
    {
        await using var h = new ProxyHarness(EgressPolicy.Deny, Names);

        var (socket, head) = await h.ConnectTunnelAsync($"127.0.0.1:{_servers.Echo.Port}");
        socket.Dispose();

        head.ShouldStartWith("HTTP/1.1 403");
        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.ModeNone);
    }

    [Fact]
    public async Task A_request_head_over_the_limit_is_refused_with_431()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("web.test"), Names);

        using var socket = await h.ConnectAsync();
        await ProxyHarness.SendAsync(socket, $"GET http://web.test/ HTTP/1.1\r\nX-Big: {new string('a', 20_000)}\r\n\r\n");
        var reply = await ProxyHarness.ReadTextToEndAsync(socket);

        reply.ShouldStartWith("HTTP/1.1 431");
        (await h.RecordAsync()).Reason.ShouldBe(EgressReasons.HeadTooLarge);
    }

    [Fact]
    public async Task A_client_that_dawdles_is_dropped_when_the_handshake_time_runs_out()
    {
        var time = new TimerWatch();
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("web.test"), Names, o => o with { Time = time });

        using var socket = await h.ConnectAsync();
        await ProxyHarness.SendAsync(socket, "GET http://web.te");
        await time.TimerCreated.Task.WaitAsync(ProxyHarness.Cancel());
        time.Fake.Advance(TimeSpan.FromSeconds(9));
        // Not a synchronisation: a bounded look that the connection is still open before the deadline.
        var early = await socket.ReceiveAsync(new byte[1], SocketFlags.Peek, ProxyHarness.Cancel()).AsTask()
            .WaitAsync(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken).ContinueWith(t => t.Status, TaskScheduler.Default);
        time.Fake.Advance(TimeSpan.FromSeconds(2));

        early.ShouldNotBe(TaskStatus.RanToCompletion, "still within its 10 s");
        (await ProxyHarness.ReadToEndAsync(socket)).ShouldBeEmpty();
        var record = await h.RecordAsync();
        (record.Protocol, record.Reason, record.Duration).ShouldBe((EgressProtocol.Http, EgressReasons.HandshakeTimeout, TimeSpan.FromSeconds(11)));
    }

    [Fact]
    public async Task Connections_over_the_limit_are_closed_at_once_and_recorded()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("web.test"), Names, o => o with { MaxConnections = 2 });

        using var first = await h.ConnectAsync();
        using var second = await h.ConnectAsync();
        using var third = await h.ConnectAsync();

        (await ProxyHarness.ReadToEndAsync(third)).ShouldBeEmpty();
        var record = await h.RecordAsync();
        (record.Protocol, record.Reason).ShouldBe((EgressProtocol.Unknown, EgressReasons.TooManyConnections));
        h.Proxy.ActiveConnections.ShouldBe(2);
    }

    [Fact]
    public async Task An_updated_policy_applies_to_the_next_connection()
    {
        await using var h = new ProxyHarness(EgressPolicy.AllowOnly("github.com"), Names);
        var (before, beforeHead) = await h.ConnectTunnelAsync($"127.0.0.1:{_servers.Echo.Port}");
        before.Dispose();

        h.Proxy.UpdatePolicy(EgressPolicy.AllowOnly($"127.0.0.1:{_servers.Echo.Port}"));
        var (after, afterHead) = await h.ConnectTunnelAsync($"127.0.0.1:{_servers.Echo.Port}");
        after.Dispose();

        beforeHead.ShouldStartWith("HTTP/1.1 403");
        afterHead.ShouldStartWith("HTTP/1.1 200");
    }

    [Fact]
    public async Task Disposing_the_proxy_closes_open_tunnels_and_removes_its_socket()
    {
        var h = new ProxyHarness(EgressPolicy.AllowOnly("127.0.0.1/32"));
        var (socket, head) = await h.ConnectTunnelAsync($"127.0.0.1:{_servers.Echo.Port}");
        head.ShouldStartWith("HTTP/1.1 200");
        await ProxyHarness.SendAsync(socket, "x");
        (await socket.ReceiveAsync(new byte[1], SocketFlags.None)).ShouldBe(1);

        await h.DisposeAsync();

        (await ProxyHarness.ReadToEndAsync(socket)).ShouldBeEmpty();
        File.Exists(h.SocketPath).ShouldBeFalse();
        h.Log.Records.ShouldHaveSingleItem().Verdict.ShouldBe(EgressVerdict.Allowed);
        socket.Dispose();
    }

    private static async Task<byte[]> SocksConnectAsync(Socket socket, string host, int port)
    {
        var name = Encoding.ASCII.GetBytes(host);
        await socket.SendAsync(new byte[] { 5, 1, 0 }, SocketFlags.None, ProxyHarness.Cancel());
        var greeting = new byte[2];
        await socket.ReceiveAsync(greeting, SocketFlags.None, ProxyHarness.Cancel());
        greeting.ShouldBe(new byte[] { 5, 0 });
        await socket.SendAsync((byte[])[5, 1, 0, 3, (byte)name.Length, .. name, (byte)(port >> 8), (byte)port], SocketFlags.None, ProxyHarness.Cancel());
        var reply = new byte[10];
        var read = 0;
        while (read < reply.Length)
        {
            var n = await socket.ReceiveAsync(reply.AsMemory(read), SocketFlags.None, ProxyHarness.Cancel());
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return reply;
    }

    // A fake clock that says when the proxy arms a timer, so a test moves time only after the deadline exists.
    private sealed class TimerWatch : TimeProvider
    {
        public FakeTimeProvider Fake { get; } = new();

        public TaskCompletionSource TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

        public override long GetTimestamp() => Fake.GetTimestamp();

        public override long TimestampFrequency => Fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = Fake.CreateTimer(callback, state, dueTime, period);
            TimerCreated.TrySetResult();
            return timer;
        }
    }
}
