using System.Globalization;
using Airlock.Engine.Errors;
using Airlock.Server.Errors;
using Airlock.Server.Store;

namespace Airlock.Server.Nodes;

/// <summary>
/// Places a sandbox by the server's strategy on a node with room: each node's capacity against what the sandboxes
/// recorded on it reserve (running or not, as with quotas). Unreachable nodes are skipped; when none has room the
/// answer is 503 naming every node's use.
/// </summary>
public sealed class CapacityPlacement(IEngineNodes nodes, SandboxStore store, ServerOptions options) : IPlacement
{
    public async Task<string> PlaceAsync(PlacementRequest request, CancellationToken ct)
    {
        var usage = await store.UsageByNodeAsync(request.TenantId, ct);
        var candidates = request.RequiredNode is { } required ? [required] : nodes.Names;
        if (request.LocalOnly)
        {
            candidates = LocalOnly(candidates);
        }

        var loads = new List<NodeLoad>();
        var down = new List<string>();
        EngineUnreachableException? unreachable = null;
        foreach (var name in candidates)
        {
            try
            {
                var capacity = await nodes.CapacityAsync(name, ct);
                var used = usage.GetValueOrDefault(name) ?? new NodeUsage(0, 0, 0, 0);
                loads.Add(new NodeLoad(name, capacity, used.CpuMillis, used.MemoryBytes, used.TenantSandboxes));
            }
            catch (EngineUnreachableException ex)
            {
                unreachable = ex;
                down.Add($"{name}: unreachable");
            }
        }

        if (loads.Count == 0 && unreachable is not null)
        {
            throw unreachable;
        }

        return PlacementStrategies.Choose(options.Placement, loads, request.CpuMillis, request.MemoryBytes, request.AntiAffinity)
            ?? throw new ApiException(503, "no node has room", Describe(request, loads, down)) { RetryAfterSeconds = 30 };
    }

    /// <summary>The nodes of <paramref name="candidates"/> that can host an allowlist sandbox; 409 naming the others when none can.</summary>
    private IReadOnlyList<string> LocalOnly(IReadOnlyList<string> candidates)
    {
        var local = candidates.Where(nodes.IsLocal).ToList();
        if (local.Count > 0)
        {
            return local;
        }

        var remote = string.Join(", ", candidates.Select(n => $"'{n}' ({nodes.EndpointOf(n)})"));
        throw ApiException.Conflict(
            $"sandbox.network: an allowlist sandbox needs a node this server reaches over a unix socket, because the server's egress proxy socket is mounted into it; "
            + $"{(candidates.Count == 1 ? "node" : "nodes")} {remote} {(candidates.Count == 1 ? "is" : "are")} reached over tcp (remote). "
            + "Use network open or none there, or serve that engine to the server over its unix socket");
    }

    private static string Describe(PlacementRequest request, List<NodeLoad> loads, List<string> down)
    {
        var nodes = loads.Select(n => string.Create(CultureInfo.InvariantCulture,
            $"{n.Name}: {n.UsedCpuMillis / 1000.0:0.###} of {n.Capacity.CpuMillis / 1000.0:0.###} CPUs and {n.UsedMemoryBytes} of {n.Capacity.MemoryBytes} bytes reserved")).Concat(down);
        var where = request.RequiredNode is { } node ? $"node '{node}' (the snapshot's node)" : "any node";
        return string.Create(CultureInfo.InvariantCulture,
            $"{where} has no room for {request.CpuMillis / 1000.0:0.###} CPUs and {request.MemoryBytes} bytes ({string.Join("; ", nodes)}); delete sandboxes, ask for smaller limits, or add a node");
    }
}
