namespace Airlock.Sandboxes.Egress;

/// <summary>How much of the network a sandbox may reach through its egress proxy.</summary>
public enum EgressMode
{
    /// <summary>Nothing: every connection is refused.</summary>
    None,

    /// <summary>Only destinations an <see cref="EgressRule"/> allows.</summary>
    Allowlist,

    /// <summary>Any public destination; the address rules still refuse loopback, private, link-local and the host's own addresses.</summary>
    Open,
}
