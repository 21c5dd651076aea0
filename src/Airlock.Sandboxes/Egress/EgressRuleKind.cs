namespace Airlock.Sandboxes.Egress;

/// <summary>What an <see cref="EgressRule"/> names.</summary>
public enum EgressRuleKind
{
    /// <summary>One host name, exactly (<c>github.com</c>).</summary>
    Host,

    /// <summary>Every subdomain of a name, not the name itself (<c>*.npmjs.org</c>).</summary>
    Subdomains,

    /// <summary>An address or a range of addresses (<c>192.0.2.7</c>, <c>10.1.0.0/16</c>, <c>[fd00::/8]:5432</c>).</summary>
    Network,
}
