namespace Airlock.Engine.Networks;

/// <summary>
/// The part of a network's inspect Airlock reads: its subnets and gateways. Docker's answer (GET /networks/{name}) has
/// them under <c>IPAM.Config</c>, libpod's (GET /libpod/networks/{name}/json) under <c>subnets</c>; the same field names.
/// </summary>
public sealed class NetworkDetails
{
    public string Name { get; init; } = "";

    public NetworkIpam? IPAM { get; init; }

    public IReadOnlyList<NetworkIpamConfig>? Subnets { get; init; }

    /// <summary>The network's subnets and gateways, whichever API answered.</summary>
    public IReadOnlyList<NetworkIpamConfig> AddressConfigs => IPAM?.Config ?? Subnets ?? [];
}

public sealed class NetworkIpam
{
    public IReadOnlyList<NetworkIpamConfig>? Config { get; init; }
}

public sealed class NetworkIpamConfig
{
    public string? Subnet { get; init; }

    public string? Gateway { get; init; }
}
