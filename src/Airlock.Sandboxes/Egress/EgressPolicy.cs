using System.Net;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// Which destinations a sandbox may reach. Deciding is two steps, because a name is only a claim until resolved:
/// <see cref="CheckDestination"/> on what the sandbox asked for, then <see cref="CheckAddress"/> on each address the proxy
/// itself resolved it to; the proxy connects only to an address both allow.
/// </summary>
public sealed record EgressPolicy(EgressMode Mode, IReadOnlyList<EgressRule> Allow)
{
    public static EgressPolicy Deny { get; } = new(EgressMode.None, []);

    public static EgressPolicy AllowOnly(params string[] rules) => new(EgressMode.Allowlist, rules.Select(EgressRule.Parse).ToList());

    /// <summary>
    /// Whether the asked-for destination may be contacted at all. <paramref name="host"/> is a normalised name or an IP
    /// literal (see <see cref="EgressHost"/>). An address passes here only if <see cref="CheckAddress"/> also passes it.
    /// </summary>
    public EgressDecision CheckDestination(string host, int port, IReadOnlyCollection<IPAddress> hostAddresses)
    {
        if (Mode == EgressMode.None)
        {
            return EgressDecision.Refuse(EgressReasons.ModeNone);
        }

        if (EgressHost.TryParseAddress(host, out var address))
        {
            return CheckAddress(address, port, requested: true, hostAddresses);
        }

        if (Mode == EgressMode.Open)
        {
            return EgressDecision.Allow(EgressReasons.AllowedOpen);
        }

        return Allow.Any(r => r.MatchesName(host, port))
            ? EgressDecision.Allow(EgressReasons.AllowedByRule)
            : EgressDecision.Refuse(EgressReasons.NotAllowed);
    }

    /// <summary>
    /// Whether the proxy may connect to <paramref name="address"/>: given as an IP literal by the sandbox
    /// (<paramref name="requested"/>), or resolved by the proxy from a name that <see cref="CheckDestination"/> allowed.
    /// An address of <see cref="EgressAddressRules"/> passes only when an address rule contains it, in every mode: a name
    /// rule never unlocks one, so a name that resolves to 127.0.0.1 or 10.0.0.5 (DNS rebinding) is refused.
    /// </summary>
    public EgressDecision CheckAddress(IPAddress address, int port, bool requested, IReadOnlyCollection<IPAddress> hostAddresses)
    {
        if (Mode == EgressMode.None)
        {
            return EgressDecision.Refuse(EgressReasons.ModeNone);
        }

        var explicitly = Allow.Any(r => r.ContainsAddress(address, port));
        if (EgressAddressRules.Blocked(address, hostAddresses) is { } blocked && !explicitly)
        {
            return EgressDecision.Refuse(blocked);
        }

        if (explicitly)
        {
            return EgressDecision.Allow(EgressReasons.AllowedByRule);
        }

        if (Mode == EgressMode.Open)
        {
            return EgressDecision.Allow(EgressReasons.AllowedOpen);
        }

        // Allowlist: a resolved address of an allowed name is fine once public; a literal needs its own rule.
        return requested ? EgressDecision.Refuse(EgressReasons.NotAllowed) : EgressDecision.Allow(EgressReasons.AllowedByRule);
    }
}
