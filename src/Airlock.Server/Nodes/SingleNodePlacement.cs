using Airlock.Server.Sandboxes;

namespace Airlock.Server.Nodes;

public sealed class SingleNodePlacement(IEngineNodes nodes) : IPlacement
{
    public Task<string> PlaceAsync(string tenantId, SandboxPlan plan, CancellationToken ct) => Task.FromResult(nodes.Names[0]);
}
