using System.Net;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.HostServices;

/// <summary>
/// How a session's network guard is connected, and how the host's loopback ports reach the sandbox as
/// <see cref="NetworkPolicy.HostServiceName"/>. Rootful engines: the engine's bridge, and for asked ports a relay of this
/// session only on the bridge gateway. Rootless podman: a slirp4netns of the session's own (so sandboxes never share a
/// network), with slirp's host-loopback address when ports are asked; the guard lets through exactly those ports.
/// </summary>
/// <param name="Gateway">Rootful engines: the bridge gateway, the host as the sandbox sees it (where published ports come from).</param>
public sealed record HostServicePlan(string NetworkMode, IReadOnlyList<string> ExtraHosts, IPAddress? Gateway, IPAddress? RelayAddress, IPAddress? LoopbackAlias, IReadOnlyList<int> Ports)
{
    /// <summary>slirp4netns's fixed address for the host's loopback.</summary>
    public static readonly IPAddress SlirpHostLoopback = IPAddress.Parse("10.0.2.2");

    public static async Task<HostServicePlan> ForAsync(ISandboxRuntime runtime, NetworkPolicy network, CancellationToken ct)
    {
        var ports = network.HostPorts;
        if (network.LoopbackOnly)
        {
            // In allowlist mode the egress wiring relays host ports itself (no interface to route them through).
            return ports.Count == 0 || network.Mode == NetworkPolicy.Allowlist
                ? new HostServicePlan("none", [], null, null, null, [])
                : throw new LauncherException($"host ports need a network: the namespace has network: {network.Mode}. Remove hostPorts or use --network allowlist");
        }

        if (runtime.Identity.Rootless)
        {
            if (runtime.Identity.Kind != EngineKind.Podman)
            {
                return ports.Count == 0
                    ? new HostServicePlan(network.Mode, [], null, null, null, [])
                    : throw new LauncherException("host ports on rootless Docker are not supported yet; use podman (AIRLOCK_ENGINE=podman) or a rootful Docker");
            }

            return ports.Count == 0
                ? new HostServicePlan("slirp4netns", [], null, null, null, [])
                : new HostServicePlan("slirp4netns:allow_host_loopback=true", [$"{NetworkPolicy.HostServiceName}:{SlirpHostLoopback}"], null, null, SlirpHostLoopback, ports);
        }

        var gateway = await runtime.GetBridgeGatewayAsync(ct);
        return ports.Count == 0
            ? new HostServicePlan(network.Mode, [], gateway, null, null, [])
            : new HostServicePlan(network.Mode, [$"{NetworkPolicy.HostServiceName}:{gateway}"], gateway, gateway, null, ports);
    }
}
