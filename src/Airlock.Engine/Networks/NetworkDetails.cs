namespace Airlock.Engine.Networks;

/// <summary>The part of GET /networks/{name} Airlock reads: the subnets and gateways.</summary>
public sealed class NetworkDetails
{
    public string Name { get; init; } = "";
    public NetworkIpam? IPAM { get; init; }
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
