namespace Airlock.Client;

/// <summary>
/// One connection an allowlist sandbox made through its egress proxy. <see cref="Host"/> is empty for one that closed
/// before naming a destination; <see cref="Address"/> is what the proxy connected to, or would have.
/// </summary>
public sealed record SandboxEgressRecord(
    DateTimeOffset Time,
    string Host,
    int Port,
    string? Address,
    string Protocol,
    string Verdict,
    string Reason,
    long BytesUp,
    long BytesDown,
    long DurationMs);

public sealed record EgressRecordPage(IReadOnlyList<SandboxEgressRecord> Items, string? NextPageToken) : IPage<SandboxEgressRecord>;

/// <summary>
/// A tenant's egress ceiling: whether its sandboxes may be open, and what an allowlist may name beyond public host
/// names (absent in a body: keep what it has).
/// </summary>
public sealed record EgressCeilingBody(IReadOnlyList<string>? Allow, bool? Open)
{
    public string DescribeOpen() => Open is false ? "no" : "yes";

    public string DescribeAllow() => Allow is { Count: > 0 } allow ? string.Join(", ", allow) : "(none)";
}
