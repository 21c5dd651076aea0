namespace Airlock.Server.Nodes;

/// <summary>
/// The placement decision itself, without I/O: among the nodes with room for the reservation (with anti-affinity,
/// only those holding the fewest of the tenant's sandboxes), the one the strategy prefers; ties go to the node listed
/// first, so the result is deterministic.
/// </summary>
public static class PlacementStrategies
{
    /// <summary>The chosen node's name, or null when no node has room.</summary>
    public static string? Choose(PlacementStrategy strategy, IReadOnlyList<NodeLoad> nodes, long cpuMillis, long memoryBytes, bool antiAffinity)
    {
        var fitting = nodes.Where(n => n.Fits(cpuMillis, memoryBytes)).ToList();
        if (fitting.Count == 0)
        {
            return null;
        }

        if (antiAffinity)
        {
            var fewest = fitting.Min(n => n.TenantSandboxes);
            fitting = fitting.Where(n => n.TenantSandboxes == fewest).ToList();
        }

        // OrderBy is stable: equal scores keep the listed order.
        var ordered = strategy switch
        {
            PlacementStrategy.Binpack => fitting.OrderByDescending(n => n.Utilisation),
            PlacementStrategy.Spread => fitting.OrderBy(n => n.Utilisation),
            PlacementStrategy.Bestfit => fitting
                .OrderBy(n => n.Capacity.CpuMillis - n.UsedCpuMillis - cpuMillis)
                .ThenBy(n => n.Capacity.MemoryBytes - n.UsedMemoryBytes - memoryBytes),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "binpack, spread or bestfit"),
        };
        return ordered.First().Name;
    }

    public static bool TryParse(string text, out PlacementStrategy strategy)
    {
        (var ok, strategy) = text switch
        {
            "binpack" => (true, PlacementStrategy.Binpack),
            "spread" => (true, PlacementStrategy.Spread),
            "bestfit" => (true, PlacementStrategy.Bestfit),
            _ => (false, PlacementStrategy.Binpack),
        };
        return ok;
    }
}
