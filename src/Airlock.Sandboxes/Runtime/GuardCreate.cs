using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// A sandbox's network guard (see <see cref="Network.NetworkGuard"/>): the small helper that owns the sandbox's network
/// namespace and holds every network setting of it, which the sandbox then joins (<see cref="SandboxCreate.JoinNetworkOf"/>).
/// </summary>
/// <param name="NetworkMode">The engine network the guard (and so the sandbox) is on.</param>
/// <param name="Hostname">The sandbox's hostname (on engines where a joining container cannot have its own).</param>
/// <param name="UsernsMode">The sandbox's user namespace mode: the sandbox then shares the guard's, which owns the network namespace.</param>
public sealed record GuardCreate(
    string Image,
    string Name,
    SandboxOwner Owner,
    string NetworkMode,
    string? Hostname,
    IReadOnlyList<string> ExtraHosts,
    IReadOnlyList<PortForward> Ports,
    string? UsernsMode)
{
    /// <summary>The caller's own labels (a server's run marks), written under the owner's.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
