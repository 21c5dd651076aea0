using Airlock.Sandboxes.Egress;

namespace Airlock.Server.Egress;

/// <summary>
/// One connection an allowlist sandbox made, as the API shows it: when it was accepted, the destination asked for
/// (<paramref name="Host"/> empty when the sandbox never named one), the address the proxy connected to (or would
/// have), how it asked (http, connect, socks5), the verdict and its reason code, and the bytes each way.
/// </summary>
public sealed record EgressRecordView(
    DateTimeOffset Time,
    string Host,
    int Port,
    string? Address,
    string Protocol,
    string Verdict,
    string Reason,
    long BytesUp,
    long BytesDown,
    long DurationMs)
{
    public static EgressRecordView From(EgressRecord r) => new(
        r.Time,
        r.Host,
        r.Port,
        r.Address?.ToString(),
        r.Protocol.ToString().ToLowerInvariant(),
        r.Verdict.ToString().ToLowerInvariant(),
        r.Reason,
        r.BytesUp,
        r.BytesDown,
        (long)r.Duration.TotalMilliseconds);
}
