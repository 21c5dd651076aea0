namespace Airlock.Server.Audit;

/// <summary>
/// Decides which refusals of no consequence reach the audit log: requests without a valid credential (nobody can be
/// held to them) and rate-limit refusals (the caller is already over its budget). Each source (an address, or a key)
/// gets one entry a minute, and all of them together at most <see cref="ServerLimits.SampledAuditEntriesPerMinute"/>:
/// a flood is seen in the log without growing it in proportion. Every other call is audited, each one.
/// </summary>
public sealed class AuditSampler(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _windowStart = time.GetTimestamp();

    /// <summary>Whether to record a refusal from <paramref name="source"/> now; false when its entry for this minute is written.</summary>
    public bool ShouldRecord(string source)
    {
        lock (_gate)
        {
            if (time.GetElapsedTime(_windowStart) >= Window)
            {
                _seen.Clear();
                _windowStart = time.GetTimestamp();
            }

            return _seen.Count < ServerLimits.SampledAuditEntriesPerMinute && _seen.Add(source);
        }
    }
}
