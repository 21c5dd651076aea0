using System.Net;
using Airlock.Engine.Identity;
using Airlock.Engine.Json;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Networks;

/// <summary>Network look-ups: what address the host has on the default bridge, as the containers on it see it.</summary>
public sealed class NetworksClient
{
    /// <summary>The libpod API of podman 4.0, the oldest Airlock supports.</summary>
    private const string LibpodPrefix = "/v4.0.0/libpod";

    private readonly EngineHttp _http;
    private readonly Func<EngineKind> _kind;

    internal NetworksClient(EngineHttp http, Func<EngineKind> kind)
    {
        _http = http;
        _kind = kind;
    }

    /// <summary>The engine's name for its default bridge network: <c>podman</c> or <c>bridge</c>.</summary>
    public string DefaultBridge => IsPodman ? "podman" : "bridge";

    private bool IsPodman => _kind() == EngineKind.Podman;

    /// <summary>
    /// On podman, libpod's endpoints: its Docker-compatible ones also look up every container on the network, and one
    /// container its store has lost (a removal cut short) fails them for everyone (podman 4.3: 500 "container not known").
    /// </summary>
    public Task<NetworkDetails> InspectAsync(string name, CancellationToken ct = default) =>
        _http.GetJsonAsync(
            IsPodman ? $"{LibpodPrefix}/networks/{Uri.EscapeDataString(name)}/json" : _http.Path($"/networks/{Uri.EscapeDataString(name)}"),
            EngineJsonContext.Default.NetworkDetails,
            $"inspect network {name}",
            ct);

    /// <summary>Every subnet of every network the engine has: where its containers live.</summary>
    public async Task<IReadOnlyList<IPNetwork>> ListSubnetsAsync(CancellationToken ct = default)
    {
        var path = IsPodman ? $"{LibpodPrefix}/networks/json" : _http.Path("/networks");
        var networks = await _http.GetJsonAsync(path, EngineJsonContext.Default.ListNetworkDetails, "list networks", ct);
        var subnets = new List<IPNetwork>();
        foreach (var config in networks.SelectMany(n => n.AddressConfigs))
        {
            if (config.Subnet is { } subnet && IPNetwork.TryParse(subnet, out var parsed))
            {
                subnets.Add(parsed);
            }
        }

        return subnets.Distinct().ToList();
    }

    /// <summary>
    /// The host's IPv4 address on the default bridge. Docker's default bridge often omits the gateway from its IPAM
    /// config; it is then the subnet's first address (docker0).
    /// </summary>
    public async Task<IPAddress> GetBridgeGatewayAsync(CancellationToken ct = default)
    {
        var network = await InspectAsync(DefaultBridge, ct);
        foreach (var config in network.AddressConfigs)
        {
            if (config.Gateway is { } gw && IPAddress.TryParse(gw, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                return address;
            }

            if (config.Subnet is { } subnet && IPNetwork.TryParse(subnet, out var net) && net.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                var bytes = net.BaseAddress.GetAddressBytes();
                bytes[3] += 1;
                return new IPAddress(bytes);
            }
        }

        throw new Errors.EngineException($"network {DefaultBridge} reports no IPv4 gateway or subnet");
    }
}
