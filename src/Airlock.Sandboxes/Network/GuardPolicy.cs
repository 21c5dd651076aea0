using System.Net;

namespace Airlock.Sandboxes.Network;

/// <summary>
/// What a sandbox's network guard drops, and the few holes in that: the host's own addresses (every interface's, the
/// bridge gateway among them), the subnets other sandboxes live on, and link-local (169.254.0.0/16 with the cloud
/// metadata service, fe80::/10) are unreachable; DNS to the sandbox's own nameservers, and the host services asked for,
/// stay open. Everything else (the internet, the LAN) is left as it was: per-destination egress rules come later.
/// </summary>
public sealed record GuardPolicy
{
    /// <summary>Addresses of the host's interfaces (loopback excluded: inside, 127.0.0.1 is the sandbox's own).</summary>
    public IReadOnlyList<IPAddress> HostAddresses { get; init; } = [];

    /// <summary>The engine's networks: other sandboxes and containers.</summary>
    public IReadOnlyList<IPNetwork> SandboxSubnets { get; init; } = [];

    /// <summary>Rootful engines: the bridge gateway (the host), where published ports come from and this session's relay listens.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>Host port asked for → this session's relay port on <see cref="Gateway"/>, to which the guard redirects it.</summary>
    public IReadOnlyDictionary<int, int> Relays { get; init; } = new Dictionary<int, int>();

    /// <summary>Rootless podman: slirp4netns's address for the host's loopback (10.0.2.2), reachable only on <see cref="HostLoopbackPorts"/>.</summary>
    public IPAddress? HostLoopbackAlias { get; init; }

    public IReadOnlyList<int> HostLoopbackPorts { get; init; } = [];

    public static readonly IPNetwork LinkLocalV4 = IPNetwork.Parse("169.254.0.0/16");

    public static readonly IPNetwork LinkLocalV6 = IPNetwork.Parse("fe80::/10");
}
