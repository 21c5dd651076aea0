namespace Airlock.Server.Nodes;

/// <summary>How a node is chosen among those with room.</summary>
public enum PlacementStrategy
{
    /// <summary>The most used node (by its fuller resource), so whole nodes stay free.</summary>
    Binpack,

    /// <summary>The least used node, so load is even.</summary>
    Spread,

    /// <summary>The node left with the least free CPU (then memory) after placing, so big holes stay for big sandboxes.</summary>
    Bestfit,
}
