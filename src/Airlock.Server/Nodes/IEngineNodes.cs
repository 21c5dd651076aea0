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

    /// <summary>
    /// Whether <paramref name="node"/>'s engine is reached over a unix socket, so runs on this machine and can mount a
    /// directory of the server's (an allowlist sandbox's egress socket); false for tcp:// (remote) and unknown nodes.
    /// </summary>
    bool IsLocal(string node);

    /// <summary>The node's engine address as written (unix:///..., tcp://host:port), for messages.</summary>
    string EndpointOf(string node);
}
