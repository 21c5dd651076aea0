using System.Globalization;
using System.Net;
using Airlock.Engine.Identity;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Networks;

[Trait("Category", "Integration")]
public sealed class NetworksTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Inspect_of_the_default_bridge_returns_its_subnet(string engine)
    {
        var e = await fixture.ConnectAsync(engine);

        var network = await e.Client.Networks.InspectAsync(e.Client.Networks.DefaultBridge, Ct);

        e.Client.Networks.DefaultBridge.ShouldBe(e.Kind == EngineKind.Podman ? "podman" : "bridge");
        network.Name.ShouldBe(e.Client.Networks.DefaultBridge);
        var subnets = network.AddressConfigs.Select(c => c.Subnet).OfType<string>().ToList();
        subnets.ShouldNotBeEmpty();
        subnets.ShouldAllBe(s => IPNetwork.Parse(s).PrefixLength > 0);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Bridge_gateway_is_the_default_route_a_container_sees(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();

        var gateway = await e.Client.Networks.GetBridgeGatewayAsync(Ct);

        // The base image has no ip(8): read the default route's gateway (little-endian hex) from the kernel.
        var (exit, stdout, stderr) = await scope.RunAsync(TestEngine.Script("awk '$2 == \"00000000\" { print $3 }' /proc/net/route"));
        exit.ShouldBe(0, stderr);
        var seen = new IPAddress(uint.Parse(stdout.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        gateway.ShouldBe(seen);
    }
}
