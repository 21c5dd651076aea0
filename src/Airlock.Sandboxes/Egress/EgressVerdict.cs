namespace Airlock.Sandboxes.Egress;

/// <summary>Whether the proxy let a connection through to its destination.</summary>
public enum EgressVerdict
{
    Allowed,
    Refused,
}
