using Airlock.Sandboxes.Runtime;

namespace Airlock.Server.Nodes;

/// <summary>The engines sandboxes run on, by node name (the <c>node</c> column of a sandbox).</summary>
public interface IEngineNodes
{
    IReadOnlyList<string> Names { get; }

    /// <summary>The sandboxes of <paramref name="node"/>, its engine connected; throws EngineUnreachableException when it does not answer.</summary>
    Task<ISandboxRuntime> GetAsync(string node, CancellationToken ct);

    /// <summary>What sandboxes may reserve on <paramref name="node"/> in all; throws EngineUnreachableException when its engine must be asked and does not answer.</summary>
    Task<NodeCapacity> CapacityAsync(string node, CancellationToken ct);
}
