using System.Collections.Concurrent;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// Passes every record on to <paramref name="inner"/> and keeps count of the destinations refused, so that the one who
/// started the sandbox can be told what it was denied when it ends: a tool inside often hides the proxy's 403 (curl
/// shows "CONNECT tunnel failed" without its body).
/// </summary>
public sealed class EgressRefusalTally(IEgressLog inner) : IEgressLog
{
    private readonly ConcurrentDictionary<(string Host, int Port), (string Reason, int Count)> _refused = new();

    /// <summary>Each refused destination once, most refused first; connections that never named one are left out.</summary>
    public IReadOnlyList<EgressRefusal> Refused => _refused
        .Select(r => new EgressRefusal(r.Key.Host, r.Key.Port, r.Value.Reason, r.Value.Count))
        .OrderByDescending(r => r.Count).ThenBy(r => r.Host, StringComparer.Ordinal).ThenBy(r => r.Port)
        .ToList();

    public ValueTask WriteAsync(EgressRecord record, CancellationToken cancellationToken)
    {
        if (record.Verdict == EgressVerdict.Refused && record.Host.Length > 0)
        {
            _refused.AddOrUpdate((record.Host, record.Port), (record.Reason, 1), (_, seen) => (record.Reason, seen.Count + 1));
        }

        return inner.WriteAsync(record, cancellationToken);
    }
}

/// <summary>A destination a sandbox was refused, <paramref name="Count"/> times, the last time for <paramref name="Reason"/>.</summary>
public sealed record EgressRefusal(string Host, int Port, string Reason, int Count);
