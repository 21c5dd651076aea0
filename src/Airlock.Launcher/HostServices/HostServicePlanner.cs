using System.Net;
using Airlock.Engine;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.HostServices;

/// <summary>
/// How the host's loopback ports reach a sandbox as <see cref="NetworkPolicy.HostServiceName"/>. Rootful engines: a
/// relay on the bridge gateway for exactly the asked ports. Rootless podman: slirp4netns's host-loopback address
/// (which exposes every loopback port: see docs/security.md).
/// </summary>
public sealed record HostServicePlan(string? NetworkMode, IReadOnlyList<string> ExtraHosts, IPAddress? RelayAddress, IReadOnlyList<int> Ports)
{
    public static readonly HostServicePlan None = new(null, [], null, []);

    public static async Task<HostServicePlan> ForAsync(EngineClient engine, NetworkPolicy network, CancellationToken ct)
    {
        if (network.HostPorts.Count == 0)
        {
            return None;
        }

        if (network.Mode == "none")
        {
            throw new LauncherException("host ports need a network: the namespace has network: none. Remove hostPorts or use network: bridge");
        }

        if (engine.Identity.Rootless)
        {
            if (engine.Identity.Kind != EngineKind.Podman)
            {
                throw new LauncherException("host ports on rootless Docker are not supported yet; use podman (AIRLOCK_ENGINE=podman) or a rootful Docker");
            }

            return new HostServicePlan("slirp4netns:allow_host_loopback=true", [$"{NetworkPolicy.HostServiceName}:10.0.2.2"], null, network.HostPorts);
        }

        var gateway = await engine.Networks.GetBridgeGatewayAsync(ct);
        return new HostServicePlan(null, [$"{NetworkPolicy.HostServiceName}:{gateway}"], gateway, network.HostPorts);
    }
}
