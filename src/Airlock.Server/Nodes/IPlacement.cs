namespace Airlock.Server.Nodes;

/// <summary>Chooses the node a new sandbox runs on.</summary>
public interface IPlacement
{
    /// <summary>The node's name; throws an ApiException (503) when no node has room.</summary>
    Task<string> PlaceAsync(PlacementRequest request, CancellationToken ct);
}
