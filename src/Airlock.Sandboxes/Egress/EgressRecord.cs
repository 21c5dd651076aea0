using System.Net;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// One connection a sandbox made through its egress proxy, written when it ends (at once when refused).
/// <paramref name="Time"/> is when it was accepted; <paramref name="Host"/> is empty when the sandbox never named a
/// destination; <paramref name="Address"/> is what the proxy connected to (or would have); bytes count what passed the
/// proxy each way, request heads included.
/// </summary>
public sealed record EgressRecord(
    DateTimeOffset Time,
    string SandboxId,
    EgressProtocol Protocol,
    string Host,
    int Port,
    IPAddress? Address,
    EgressVerdict Verdict,
    string Reason,
    long BytesUp,
    long BytesDown,
    TimeSpan Duration);
