using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Secrets;

/// <summary>
/// One secret of one sandbox: the placeholder it sees (in <paramref name="Variable"/>), the value the policy point puts
/// in its place, where that goes, and the only destinations it may go to.
/// </summary>
public sealed record SecretBinding(string Name, string Variable, string Placeholder, SecretValue Value, IReadOnlyList<EgressRule> Hosts, SecretInjection Injection)
{
    /// <summary>Whether <paramref name="host"/> (a normalised name or an address) at <paramref name="port"/> may receive this secret.</summary>
    public bool Binds(string host, int port) =>
        EgressHost.TryParseAddress(host, out var address)
            ? Hosts.Any(r => r.ContainsAddress(address, port))
            : Hosts.Any(r => r.MatchesName(host, port));

    public string HostList => string.Join(", ", Hosts);
}
