using Airlock.Sandboxes.Network;

namespace Airlock.Sandboxes.Tests.Network;

/// <summary>A snapshot of an allowlist sandbox keeps the relay as its entrypoint: a sandbox made from it gets one relay, not two.</summary>
public sealed class EgressWiringRelayTests
{
    [Fact]
    public void The_relay_and_its_arguments_are_taken_off_a_command_and_anything_else_is_left_as_it_is()
    {
        EgressWiring.WithoutRelay([EgressWiring.RelayPath, "--forward", "127.0.0.1:3128=/run/airlock/egress/proxy.sock", "--", "sleep", "infinity"])
            .ShouldBe(["sleep", "infinity"]);
        EgressWiring.WithoutRelay([EgressWiring.RelayPath, "--forward", "x", "--"]).ShouldBeEmpty();
        EgressWiring.WithoutRelay(["/docker-entrypoint.sh", "--", "x"]).ShouldBe(["/docker-entrypoint.sh", "--", "x"]);
        EgressWiring.WithoutRelay([]).ShouldBeEmpty();
    }
}
