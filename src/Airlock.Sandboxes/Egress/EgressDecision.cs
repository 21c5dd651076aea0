namespace Airlock.Sandboxes.Egress;

/// <summary>An answer of <see cref="EgressPolicy"/>: allowed or not, and the <see cref="EgressReasons"/> code saying why.</summary>
public readonly record struct EgressDecision(bool Allowed, string Reason)
{
    public static EgressDecision Allow(string reason) => new(true, reason);

    public static EgressDecision Refuse(string reason) => new(false, reason);
}
