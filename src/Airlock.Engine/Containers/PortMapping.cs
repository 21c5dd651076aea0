namespace Airlock.Engine.Containers;

/// <summary>A container port published on the host. <see cref="HostPort"/> 0 lets the engine choose a free port.</summary>
/// <param name="HostIp">Loopback by default: publishing to every interface is something to ask for.</param>
public sealed record PortMapping(int ContainerPort, int HostPort = 0, string HostIp = "127.0.0.1", string Protocol = "tcp")
{
    public string Key => $"{ContainerPort}/{Protocol}";
}
