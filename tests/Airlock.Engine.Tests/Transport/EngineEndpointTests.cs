using Airlock.Engine.Errors;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Tests.Transport;

public sealed class EngineEndpointTests
{
    [Theory]
    [InlineData("unix:///run/podman/podman.sock", "/run/podman/podman.sock")]
    [InlineData("/var/run/docker.sock", "/var/run/docker.sock")]
    [InlineData("  unix:///tmp/x.sock  ", "/tmp/x.sock")]
    public void Parse_reads_a_unix_socket_url_or_bare_path(string text, string path)
    {
        var endpoint = EngineEndpoint.Parse(text);

        endpoint.IsUnix.ShouldBeTrue();
        endpoint.Scheme.ShouldBe("unix");
        endpoint.Address.ShouldBe(path);
        endpoint.ToString().ShouldBe($"unix://{path}");
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2375", "127.0.0.1", 2375)]
    [InlineData("http://engine.example:2376", "engine.example", 2376)]
    [InlineData("tcp://localhost:80", "localhost", 80)]
    public void Parse_reads_a_tcp_or_http_url_with_host_and_port(string text, string host, int port)
    {
        var endpoint = EngineEndpoint.Parse(text);

        endpoint.IsUnix.ShouldBeFalse();
        endpoint.Scheme.ShouldBe("tcp");
        endpoint.Address.ShouldBe(host);
        endpoint.Port.ShouldBe(port);
        endpoint.ToString().ShouldBe($"tcp://{host}:{port}");
    }

    [Theory]
    [InlineData("unix://run/podman.sock", "path must be absolute")]
    [InlineData("tcp://127.0.0.1", "give host and port")]
    [InlineData("tcp://", "give host and port")]
    [InlineData("ssh://user@host", "not an engine address")]
    [InlineData("podman.sock", "not an engine address")]
    [InlineData("", "not an engine address")]
    public void Parse_refuses_a_malformed_address_and_says_how_to_write_one(string text, string expected)
    {
        EngineEndpoint.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(expected);
        error.ShouldContain($"'{text}'");
        Should.Throw<FormatException>(() => EngineEndpoint.Parse(text)).Message.ShouldBe(error);
    }

    [Fact]
    public void Parsed_endpoints_are_equal_by_value()
    {
        EngineEndpoint.Parse("unix:///run/podman/podman.sock").ShouldBe(EngineEndpoint.Unix("/run/podman/podman.sock"));
        EngineEndpoint.Parse("tcp://h:1").ShouldBe(EngineEndpoint.Tcp("h", 1));
    }

    [Fact]
    public async Task Connect_to_a_socket_that_does_not_exist_fails_with_how_to_start_the_engine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"airlock-test-{Guid.NewGuid():N}", "podman.sock");

        var ex = await Should.ThrowAsync<EngineUnreachableException>(
            () => EngineClient.ConnectAsync(EngineEndpoint.Unix(path), ct: TestContext.Current.CancellationToken));

        ex.Message.ShouldContain($"unix://{path}");
        ex.HowToFix.ShouldContain("podman system service");
    }
}
