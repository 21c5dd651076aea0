using Airlock.Sandboxes.Egress;

namespace Airlock.Server.Tenants;

/// <summary>
/// The most network the system admin lets a tenant's sandboxes have (<c>PUT /v1/tenants/{tenant}/egress</c>):
/// whether they may be <c>open</c>, and the destinations an <c>allowlist</c> may name beyond public host names.
/// </summary>
/// <param name="Open">
/// Whether sandboxes may be <c>open</c>. It also covers every name rule of an allowlist: a name never unlocks a private,
/// loopback or host address (the proxy refuses those whatever resolves to them), so a tenant that may go anywhere
/// public may name any host.
/// </param>
/// <param name="Allow">
/// What an allowlist may name besides: every rule of it must be covered by one of these (<see cref="EgressRuleCover"/>).
/// Address rules always need one here, since they are the only way to a private or loopback address.
/// </param>
public sealed record TenantEgress(bool Open, IReadOnlyList<EgressRule> Allow)
{
    /// <summary>
    /// A tenant's until the system admin sets one (every tenant from before the ceiling existed): open allowed, as
    /// <c>"bridge"</c> always was, and allowlists of public names; no address rule.
    /// </summary>
    public static readonly TenantEgress Default = new(true, []);

    /// <summary>
    /// What of <paramref name="asked"/> lies beyond this ceiling, as (index in its allow list, rule) pairs; index -1 is
    /// the open mode itself. Empty when all of it is within.
    /// </summary>
    public IReadOnlyList<(int Index, string Destination)> Beyond(EgressPolicy asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        return asked.Mode switch
        {
            EgressMode.Open when !Open => [(-1, "open")],
            EgressMode.Allowlist => EgressRuleCover.Uncovered(Allow, asked.Allow)
                .Where(u => !(Open && u.Rule.Kind != EgressRuleKind.Network))
                .Select(u => (u.Index, u.Rule.ToString()))
                .ToList(),
            _ => [],
        };
    }

    /// <summary>The ceiling as the API and messages show it: <c>open: yes; allow: github.com, 10.1.0.0/16</c>.</summary>
    public string Describe() =>
        $"open: {(Open ? "yes" : "no")}; allow: {(Allow.Count == 0 ? "(none)" : string.Join(", ", Allow))}";

    /// <summary>The rules as stored: their text, one per line.</summary>
    public string StoredAllow => string.Join("\n", Allow);

    /// <summary>The ceiling read back from its two columns; a rule this version cannot read (a newer server's) is left out, which only narrows.</summary>
    public static TenantEgress FromStored(string allow, long open) =>
        new(open != 0, allow.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => EgressRule.TryParse(text, out var rule, out _) ? rule : null)
            .OfType<EgressRule>()
            .ToList());
}
