namespace Airlock.Sandboxes.Egress;

/// <summary>How a sandbox spoke to the proxy; <see cref="Unknown"/> when it was dropped before saying.</summary>
public enum EgressProtocol
{
    Unknown,
    Http,
    Connect,
    Socks5,

    /// <summary>A connection to a host port the sandbox was granted (<see cref="EgressProxy.ListenUnixHostPort"/>).</summary>
    HostPort,
}
