using System.Net;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// Whether one <see cref="EgressRule"/> lets through everything another does: the check behind a ceiling (a tenant's
/// rules, set by whoever runs the server) that another policy (a sandbox's, asked by the tenant) must stay within.
/// Kinds never cover each other: a name rule reaches names only and an address rule addresses only (see
/// <see cref="EgressRule"/>), so a name never covers an address nor an address range a name.
/// </summary>
public static class EgressRuleCover
{
    /// <summary>
    /// True when every destination <paramref name="asked"/> allows is allowed by <paramref name="wider"/>: the same host,
    /// or a host under a <c>*.suffix</c>; a suffix under the same or a shorter suffix (<c>*.a.b</c> under <c>*.b</c>); a
    /// range inside a range. A rule with a port is covered by one on the same port or on any; one without a port only by
    /// one without.
    /// </summary>
    public static bool Covers(EgressRule wider, EgressRule asked)
    {
        ArgumentNullException.ThrowIfNull(wider);
        ArgumentNullException.ThrowIfNull(asked);
        if (wider.Port is { } port && asked.Port != port)
        {
            return false;
        }

        return (wider.Kind, asked.Kind) switch
        {
            (EgressRuleKind.Host, EgressRuleKind.Host) => string.Equals(wider.Name, asked.Name, StringComparison.Ordinal),
            (EgressRuleKind.Subdomains, EgressRuleKind.Host) => IsUnder(asked.Name!, wider.Name!),
            (EgressRuleKind.Subdomains, EgressRuleKind.Subdomains) =>
                string.Equals(wider.Name, asked.Name, StringComparison.Ordinal) || IsUnder(asked.Name!, wider.Name!),
            (EgressRuleKind.Network, EgressRuleKind.Network) => Contains(wider.Network!.Value, asked.Network!.Value),
            _ => false,
        };
    }

    /// <summary>The rules of <paramref name="asked"/> that no rule of <paramref name="ceiling"/> covers, in order.</summary>
    public static IReadOnlyList<(int Index, EgressRule Rule)> Uncovered(IReadOnlyList<EgressRule> ceiling, IReadOnlyList<EgressRule> asked) =>
        asked.Select((rule, index) => (index, rule)).Where(a => !ceiling.Any(c => Covers(c, a.rule))).ToList();

    // "a.example.com" is under "example.com"; "example.com" is not under itself, nor "badexample.com" under it.
    private static bool IsUnder(string name, string suffix) =>
        name.Length > suffix.Length + 1 && name.EndsWith(suffix, StringComparison.Ordinal) && name[^(suffix.Length + 1)] == '.';

    private static bool Contains(IPNetwork wider, IPNetwork asked) =>
        wider.BaseAddress.AddressFamily == asked.BaseAddress.AddressFamily
        && wider.PrefixLength <= asked.PrefixLength
        && wider.Contains(asked.BaseAddress);
}
