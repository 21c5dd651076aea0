using Airlock.Engine;

namespace Airlock.Server.Nodes;

/// <summary>
/// The engines sandboxes run on, by node name (the <c>node</c> column of a sandbox). One node today; placement across
/// several (podman and Docker as two nodes) plugs in here and in <see cref="IPlacement"/>.
/// </summary>
public interface IEngineNodes
{
    IReadOnlyList<string> Names { get; }

    /// <summary>The connected engine of <paramref name="node"/>; throws EngineUnreachableException when it does not answer.</summary>
    Task<EngineClient> GetAsync(string node, CancellationToken ct);
}
