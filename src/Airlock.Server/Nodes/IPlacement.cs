using Airlock.Server.Sandboxes;

namespace Airlock.Server.Nodes;

/// <summary>Chooses the node a new sandbox runs on (bin-packing, spread or best-fit with several nodes; the only one now).</summary>
public interface IPlacement
{
    Task<string> PlaceAsync(string tenantId, SandboxPlan plan, CancellationToken ct);
}
