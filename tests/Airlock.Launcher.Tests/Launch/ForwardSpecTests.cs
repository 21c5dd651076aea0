using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Tests.Launch;

public sealed class ForwardSpecTests
{
    [Theory]
    [InlineData("8080", 8080, 8080, "127.0.0.1")]
    [InlineData("8080:80", 80, 8080, "127.0.0.1")]
    [InlineData("0.0.0.0:8080:80", 80, 8080, "0.0.0.0")]
    [InlineData("192.168.1.5:8080:80", 80, 8080, "192.168.1.5")]
    [InlineData(":8080:80", 80, 8080, "0.0.0.0")]
    [InlineData("[::1]:8080:80", 80, 8080, "::1")]
    [InlineData("[::]:443:8443", 8443, 443, "::")]
    [InlineData(" 3000 ", 3000, 3000, "127.0.0.1")]
    public void Every_documented_form_is_parsed(string text, int container, int host, string address)
    {
        ForwardSpec.Parse(text).ShouldBe(new PortForward(container, host, address));
    }

    [Fact]
    public void Without_an_address_a_port_is_published_on_loopback_only()
    {
        ForwardSpec.Parse("5173").HostAddress.ShouldBe("127.0.0.1");
    }

    [Theory]
    [InlineData("70000", "container port '70000' is not a port (1-65535)")]
    [InlineData("8080:70000", "container port '70000' is not a port (1-65535)")]
    [InlineData("70000:80", "host port '70000' is not a port (1-65535)")]
    [InlineData("0:80", "host port '0' is not a port (1-65535)")]
    [InlineData("abc", "container port 'abc' is not a port (1-65535)")]
    [InlineData("-1", "container port '-1' is not a port (1-65535)")]
    [InlineData("", "container port '' is not a port (1-65535)")]
    [InlineData("1:2:3:4", "use PORT, HOST:CONTAINER, ADDR:HOST:CONTAINER, :HOST:CONTAINER or [IPv6]:HOST:CONTAINER")]
    [InlineData("::1:8080:80", "use PORT, HOST:CONTAINER, ADDR:HOST:CONTAINER, :HOST:CONTAINER or [IPv6]:HOST:CONTAINER")]
    [InlineData("[::1]:8080", "use PORT, HOST:CONTAINER, ADDR:HOST:CONTAINER, :HOST:CONTAINER or [IPv6]:HOST:CONTAINER")]
    [InlineData("[::1]8080:80", "an IPv6 address must be written [ADDR]:HOST:CONTAINER, e.g. [::1]:8080:80")]
    [InlineData("[::1", "an IPv6 address must be written [ADDR]:HOST:CONTAINER, e.g. [::1]:8080:80")]
    [InlineData("localhost:8080:80", "'localhost' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, [::1])")]
    [InlineData("[nope]:8080:80", "'nope' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, [::1])")]
    public void A_bad_forward_is_refused_naming_the_flag_and_what_is_wrong(string text, string why)
    {
        var ex = Should.Throw<LauncherException>(() => ForwardSpec.Parse(text));

        ex.Message.ShouldBe($"--forward '{text}': {why}");
    }
}
