using Airlock.Server.Nodes;

namespace Airlock.Server.Tests.Nodes;

/// <summary>The placement decision alone: no engine, no database.</summary>
public sealed class PlacementStrategiesTests
{
    private static NodeLoad Node(string name, double cpus, double usedCpus, long tenantSandboxes = 0, long memory = 64L << 30, long usedMemory = 0) =>
        new(name, new NodeCapacity((long)(cpus * 1000), memory), (long)(usedCpus * 1000), usedMemory, tenantSandboxes);

    // small: 4 CPUs, 1 used (25%); big: 16 CPUs, 8 used (50%). Asking 2 CPUs leaves 1 on small and 6 on big.
    private static readonly NodeLoad[] Mixed = [Node("small", 4, 1), Node("big", 16, 8)];

    [Fact]
    public void Binpack_chooses_the_most_used_node_that_fits() =>
        PlacementStrategies.Choose(PlacementStrategy.Binpack, Mixed, 2000, 1 << 30, antiAffinity: false).ShouldBe("big");

    [Fact]
    public void Spread_chooses_the_least_used_node() =>
        PlacementStrategies.Choose(PlacementStrategy.Spread, Mixed, 2000, 1 << 30, antiAffinity: false).ShouldBe("small");

    [Fact]
    public void Bestfit_chooses_the_node_left_with_the_least_free_cpu() =>
        PlacementStrategies.Choose(PlacementStrategy.Bestfit, Mixed, 2000, 1 << 30, antiAffinity: false).ShouldBe("small");

    [Theory]
    [InlineData(PlacementStrategy.Binpack)]
    [InlineData(PlacementStrategy.Spread)]
    [InlineData(PlacementStrategy.Bestfit)]
    public void A_node_without_room_is_skipped_and_none_with_room_is_null(PlacementStrategy strategy)
    {
        NodeLoad[] nodes = [Node("full", 4, 3.5), Node("free", 2, 0)];
        PlacementStrategies.Choose(strategy, nodes, 1000, 1 << 30, antiAffinity: false).ShouldBe("free");
        PlacementStrategies.Choose(strategy, nodes, 3000, 1 << 30, antiAffinity: false).ShouldBeNull();
    }

    [Fact]
    public void Memory_counts_as_much_as_cpu()
    {
        NodeLoad[] nodes = [Node("tight", 8, 0, memory: 2L << 30, usedMemory: 1L << 30), Node("roomy", 8, 4)];
        PlacementStrategies.Choose(PlacementStrategy.Binpack, nodes, 1000, 2L << 30, antiAffinity: false).ShouldBe("roomy");
    }

    [Fact]
    public void Anti_affinity_prefers_the_nodes_with_the_fewest_of_the_tenants_sandboxes_over_the_strategy()
    {
        NodeLoad[] nodes = [Node("a", 8, 4, tenantSandboxes: 2), Node("b", 8, 1, tenantSandboxes: 0), Node("c", 8, 2, tenantSandboxes: 0)];
        PlacementStrategies.Choose(PlacementStrategy.Binpack, nodes, 1000, 1 << 30, antiAffinity: false).ShouldBe("a");
        PlacementStrategies.Choose(PlacementStrategy.Binpack, nodes, 1000, 1 << 30, antiAffinity: true).ShouldBe("c");
    }

    [Fact]
    public void Ties_go_to_the_node_listed_first()
    {
        NodeLoad[] nodes = [Node("first", 4, 0), Node("second", 4, 0)];
        foreach (var strategy in Enum.GetValues<PlacementStrategy>())
        {
            PlacementStrategies.Choose(strategy, nodes, 1000, 1 << 30, antiAffinity: false).ShouldBe("first");
        }
    }

    [Fact]
    public void Strategy_names_parse_and_unknown_ones_do_not()
    {
        PlacementStrategies.TryParse("spread", out var spread).ShouldBeTrue();
        spread.ShouldBe(PlacementStrategy.Spread);
        PlacementStrategies.TryParse("roundrobin", out _).ShouldBeFalse();
    }
}
