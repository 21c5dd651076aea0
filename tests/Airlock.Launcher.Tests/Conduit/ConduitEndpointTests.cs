using Airlock.Launcher.Conduit;

namespace Airlock.Launcher.Tests.Conduit;

public sealed class ConduitEndpointTests
{
    [Theory]
    [InlineData("ollama", "http://127.0.0.1:11434/v1")]
    [InlineData("lmstudio", "http://127.0.0.1:1234/v1")]
    [InlineData("vllm", "http://127.0.0.1:8000/v1")]
    [InlineData("llamacpp", "http://127.0.0.1:8080/v1")]
    [InlineData("Ollama", "http://127.0.0.1:11434/v1")]
    public void Presets_name_the_servers_default_port_on_the_host_loopback(string preset, string url)
    {
        var endpoint = ConduitEndpoint.Parse(preset);

        endpoint.Url.ShouldBe(url);
        endpoint.Preset.ShouldBe(preset.ToLowerInvariant());
        endpoint.OnHostLoopback.ShouldBeTrue();
    }

    [Fact]
    public void A_url_is_kept_without_its_trailing_slash()
    {
        var endpoint = ConduitEndpoint.Parse("https://models.example.com/v1/");

        endpoint.Url.ShouldBe("https://models.example.com/v1");
        endpoint.Preset.ShouldBeNull();
    }

    [Theory]
    [InlineData("bogus", "not a preset and not a URL")]
    [InlineData("ftp://example.com/v1", "scheme 'ftp' is not supported")]
    [InlineData("http://user:secret@example.com/v1", "carries credentials")]
    [InlineData("http://example.com/v1?x=1", "no ?query or #fragment")]
    [InlineData("http://exa mple.com/v1", "not a valid URL")]
    public void Bad_endpoints_are_refused_saying_why_and_what_to_type(string text, string why)
    {
        var ex = Should.Throw<ConduitException>(() => ConduitEndpoint.Parse(text));

        ex.Message.ShouldContain(why);
        ex.Message.ShouldContain(text.Trim());
        ex.HowToFix.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("http://127.0.0.1:11434/v1", "http://host.airlock.internal:11434/v1", 11434)]
    [InlineData("http://localhost:1234/v1", "http://host.airlock.internal:1234/v1", 1234)]
    [InlineData("http://[::1]:8000/v1", "http://host.airlock.internal:8000/v1", 8000)]
    [InlineData("http://127.0.0.1/v1", "http://host.airlock.internal/v1", 80)]
    public void The_host_loopback_is_host_airlock_internal_from_a_sandbox_with_its_port_forwarded(string url, string fromSandbox, int port)
    {
        var endpoint = ConduitEndpoint.Parse(url);

        endpoint.UrlFrom(ConduitSite.Host).ShouldBe(endpoint.Url);
        endpoint.UrlFrom(ConduitSite.Sandbox).ShouldBe(fromSandbox);
        endpoint.HostPort.ShouldBe(port);
    }

    [Fact]
    public void An_endpoint_elsewhere_is_the_same_from_everywhere_and_forwards_nothing()
    {
        var endpoint = ConduitEndpoint.Parse("https://models.example.com:8443/v1");

        endpoint.UrlFrom(ConduitSite.Sandbox).ShouldBe("https://models.example.com:8443/v1");
        endpoint.HostPort.ShouldBeNull();
    }

    [Fact]
    public void A_url_without_a_path_gets_a_hint_about_v1()
    {
        ConduitEndpoint.Parse("http://127.0.0.1:9000").PathHint.ShouldNotBeNull().ShouldContain("http://127.0.0.1:9000/v1");
        ConduitEndpoint.Parse("http://127.0.0.1:9000/v1").PathHint.ShouldBeNull();
    }
}
