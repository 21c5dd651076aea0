using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Secrets;
using Airlock.Sandboxes.Tests.Egress;

namespace Airlock.Sandboxes.Tests.Secrets;

/// <summary>
/// The policy point filling in secrets, over real sockets: a client that trusts only the sandbox's authority (as a tool
/// inside would), the proxy, and a fake HTTPS model server with a certificate of a test root behind it.
/// </summary>
public sealed class SecretInterceptTests : IAsyncLifetime
{
    private const string RealKey = "sk-real-key-that-must-stay-on-the-host";
    private static readonly IPAddress[] Loopback = [IPAddress.Loopback];

    private readonly TestCertificateAuthority _root = new();
    private readonly TestCertificateAuthority _stranger = new("Nobody trusts this root");
    private readonly SandboxCertificateAuthority _authority = SandboxCertificateAuthority.Create("sbx-test", TimeProvider.System);
    private readonly FakeHttpsProvider _model;
    private readonly FakeHttpsProvider _other;
    private readonly FakeHttpsProvider _impostor;
    private readonly SecretBinding _openai;
    private readonly SecretBinding _anthropic;
    private ProxyHarness _harness = null!;
    private IPEndPoint _proxy = null!;

    public SecretInterceptTests()
    {
        _model = new FakeHttpsProvider(IPAddress.Loopback, _root.Issue("api.model.test"));
        _other = new FakeHttpsProvider(IPAddress.Loopback, _root.Issue("other.model.test"));
        _impostor = new FakeHttpsProvider(IPAddress.Loopback, _stranger.Issue("impostor.model.test"));
        _openai = Binding("OPENAI_API_KEY", RealKey, SecretInjection.Bearer, "api.model.test", "impostor.model.test");
        _anthropic = Binding("ANTHROPIC_API_KEY", "anthropic-real", SecretInjection.Header("x-api-key"), "other.model.test");
    }

    private static SecretBinding Binding(string name, string value, SecretInjection injection, params string[] hosts) =>
        new(name, name, SecretPlaceholder.New(name), new SecretValue(value), hosts.Select(EgressRule.Parse).ToList(), injection);

    public ValueTask InitializeAsync()
    {
        var names = new Dictionary<string, IPAddress[]> { ["api.model.test"] = Loopback, ["other.model.test"] = Loopback, ["impostor.model.test"] = Loopback, ["plain.test"] = Loopback };
        _harness = new ProxyHarness(
            EgressPolicy.AllowOnly("api.model.test", "other.model.test", "impostor.model.test", "plain.test", "127.0.0.1"),
            names,
            o => o with { Secrets = new SecretSet([_openai, _anthropic]), Authority = _authority, UpstreamRoots = _root.Roots });
        _proxy = _harness.Proxy.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _model.Dispose();
        _other.Dispose();
        _impostor.Dispose();
        _authority.Dispose();
        _root.Dispose();
        _stranger.Dispose();
    }

    /// <summary>A client as a tool in the sandbox is: its proxy is the policy point, and it trusts the sandbox's authority (and nothing else).</summary>
    private HttpClient Client(X509Certificate2? trusted = null)
    {
        var handler = new SocketsHttpHandler { Proxy = new WebProxy($"http://{_proxy}"), UseProxy = true };
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(trusted ?? _authority.Certificate);
        return new HttpClient(handler) { Timeout = ProxyHarness.Patience };
    }

    private static HttpRequestMessage Get(string url, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    [Fact]
    public async Task The_host_the_secret_is_bound_to_gets_the_real_key_in_place_of_the_placeholder_on_every_request_of_a_kept_alive_connection()
    {
        using var client = Client();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.SendAsync(Get($"https://api.model.test:{_model.Port}/v1/models", _openai.Placeholder), ProxyHarness.Cancel());
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync(ProxyHarness.Cancel())).ShouldBe(FakeHttpsProvider.Answer);
        }

        _model.Requests.Count.ShouldBe(3);
        _model.Requests.ShouldAllBe(r => r.Header("authorization") == "Bearer " + RealKey);
        // One tunnel carried all three.
        client.Dispose();
        var record = await _harness.RecordAsync(r => r.Host == "api.model.test");
        record.Verdict.ShouldBe(EgressVerdict.Allowed);
    }

    [Fact]
    public async Task A_key_in_a_header_of_its_own_and_a_chunked_body_go_through_as_they_should()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://other.model.test:{_other.Port}/v1/messages")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"prompt\":\"hello\"}"))),
        };
        request.Headers.Add("x-api-key", _anthropic.Placeholder);
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request, ProxyHarness.Cancel());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = _other.Requests.ShouldHaveSingleItem();
        seen.Header("x-api-key").ShouldBe("anthropic-real");
        seen.Header("transfer-encoding").ShouldBe("chunked");
    }

    [Fact]
    public async Task The_placeholder_of_one_secret_sent_to_a_host_bound_to_another_is_refused_and_recorded()
    {
        using var client = Client();

        using var response = await client.SendAsync(Get($"https://other.model.test:{_other.Port}/steal", _openai.Placeholder), ProxyHarness.Cancel());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(ProxyHarness.Cancel())).ShouldContain("OPENAI_API_KEY");
        _other.Requests.ShouldBeEmpty();
        (await _harness.RecordAsync(r => r.Host == "other.model.test")).Reason.ShouldBe(EgressReasons.SecretMisdirected);
    }

    [Fact]
    public async Task A_placeholder_in_a_plain_http_request_to_any_host_the_secret_is_not_bound_to_is_refused_and_recorded()
    {
        using var plain = new TinyHttpServer(IPAddress.Loopback, "plain");
        using var client = Client();

        using var response = await client.SendAsync(Get($"http://plain.test:{plain.Port}/?key={_openai.Placeholder}"), ProxyHarness.Cancel());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        plain.Requests.ShouldBe(0);
        (await _harness.RecordAsync(r => r.Host == "plain.test")).Reason.ShouldBe(EgressReasons.SecretMisdirected);
    }

    [Fact]
    public async Task A_tampered_placeholder_is_passed_on_as_it_is_and_fills_in_nothing()
    {
        using var client = Client();
        var tampered = _openai.Placeholder[..^1] + (_openai.Placeholder[^1] == '0' ? '1' : '0');

        using var response = await client.SendAsync(Get($"https://api.model.test:{_model.Port}/v1/models", tampered), ProxyHarness.Cancel());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _model.Requests.ShouldHaveSingleItem().Header("authorization").ShouldBe("Bearer " + tampered);
    }

    [Fact]
    public async Task The_placeholder_outside_its_spot_reaches_its_own_host_unfilled_so_no_server_can_echo_the_real_value_back()
    {
        using var client = Client();
        using var request = Get($"https://api.model.test:{_model.Port}/echo?q={_openai.Placeholder}", _openai.Placeholder);
        request.Headers.Add("X-Echo", _openai.Placeholder);

        using var response = await client.SendAsync(request, ProxyHarness.Cancel());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = _model.Requests.ShouldHaveSingleItem();
        seen.Header("authorization").ShouldBe("Bearer " + RealKey);
        seen.Header("x-echo").ShouldBe(_openai.Placeholder);
        seen.RequestLine.ShouldContain(_openai.Placeholder);
        seen.RequestLine.ShouldNotContain(RealKey);
    }

    [Fact]
    public async Task A_host_whose_certificate_does_not_verify_gets_no_secret_and_the_sandbox_is_told_why()
    {
        using var client = Client();

        using var response = await client.SendAsync(Get($"https://impostor.model.test:{_impostor.Port}/v1/models", _openai.Placeholder), ProxyHarness.Cancel());

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync(ProxyHarness.Cancel())).ShouldContain("certificate did not verify");
        _impostor.Requests.ShouldBeEmpty();
        (await _harness.RecordAsync(r => r.Host == "impostor.model.test")).Reason.ShouldBe(EgressReasons.UpstreamCertificate);
    }

    [Fact]
    public async Task A_request_inside_the_tunnel_naming_another_host_is_refused_so_a_shared_front_cannot_route_the_key_elsewhere()
    {
        await using var tls = await TunnelAsync("api.model.test", _model.Port);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /v1/models HTTP/1.1\r\nHost: attacker.example\r\nAuthorization: Bearer {_openai.Placeholder}\r\n\r\n"), ProxyHarness.Cancel());

        var answer = await new StreamReader(tls).ReadToEndAsync(ProxyHarness.Cancel());

        answer.ShouldStartWith("HTTP/1.1 403");
        _model.Requests.ShouldBeEmpty();
        (await _harness.RecordAsync(r => r.Host == "api.model.test")).Reason.ShouldBe(EgressReasons.HostMismatch);
    }

    [Fact]
    public async Task A_client_hello_naming_another_host_than_the_tunnel_is_refused_before_anything_is_intercepted()
    {
        using var client = Client();
        using var request = Get($"https://api.model.test:{_model.Port}/v1/models", _openai.Placeholder);
        // HttpClient sends the Host header's name as SNI.
        request.Headers.Host = "attacker.example";

        await Should.ThrowAsync<HttpRequestException>(() => client.SendAsync(request, ProxyHarness.Cancel()));

        _model.Requests.ShouldBeEmpty();
        (await _harness.RecordAsync(r => r.Host == "api.model.test")).Reason.ShouldBe(EgressReasons.SniMismatch);
    }

    /// <summary>A TLS session with the policy point through a CONNECT tunnel, as a hand-written client in the sandbox would have.</summary>
    private async Task<SslStream> TunnelAsync(string host, int port)
    {
        var (socket, head) = await _harness.ConnectTunnelAsync($"{host}:{port}");
        head.ShouldStartWith("HTTP/1.1 200");
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck },
        };
        options.CertificateChainPolicy.CustomTrustStore.Add(_authority.Certificate);
        await tls.AuthenticateAsClientAsync(options, ProxyHarness.Cancel());
        return tls;
    }

    [Fact]
    public async Task A_tool_that_does_not_trust_the_sandbox_authority_fails_its_handshake_and_no_request_is_sent()
    {
        using var client = Client(trusted: _root.Certificate);

        await Should.ThrowAsync<HttpRequestException>(() => client.SendAsync(Get($"https://api.model.test:{_model.Port}/v1/models", _openai.Placeholder), ProxyHarness.Cancel()));

        _model.Requests.ShouldBeEmpty();
        (await _harness.RecordAsync(r => r.Host == "api.model.test")).Reason.ShouldBe(EgressReasons.InterceptRefused);
    }

    [Fact]
    public async Task A_host_without_a_secret_is_tunnelled_untouched_and_shows_its_own_certificate()
    {
        using var other = new FakeHttpsProvider(IPAddress.Loopback, _root.Issue("plain.test"));
        using var client = Client(trusted: _root.Certificate);

        using var response = await client.SendAsync(Get($"https://plain.test:{other.Port}/", "not-a-secret"), ProxyHarness.Cancel());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        other.Requests.ShouldHaveSingleItem().Header("authorization").ShouldBe("Bearer not-a-secret");
    }

}
