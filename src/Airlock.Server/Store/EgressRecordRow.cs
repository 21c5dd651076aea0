using System.Net;
using Airlock.Sandboxes.Egress;

namespace Airlock.Server.Store;

/// <summary>The egress_records table as Dapper reads and writes it.</summary>
internal sealed class EgressRecordRow
{
    public const string Columns = "id, tenant_id, sandbox_id, at, protocol, host, port, address, verdict, reason, bytes_up, bytes_down, duration_ms";

    public string Id { get; set; } = "";
    public string Tenant_Id { get; set; } = "";
    public string Sandbox_Id { get; set; } = "";
    public long At { get; set; }
    public string Protocol { get; set; } = "";
    public string Host { get; set; } = "";
    public long Port { get; set; }
    public string? Address { get; set; }
    public string Verdict { get; set; } = "";
    public string Reason { get; set; } = "";
    public long Bytes_Up { get; set; }
    public long Bytes_Down { get; set; }
    public long Duration_Ms { get; set; }

    public static EgressRecordRow From(string id, string tenantId, EgressRecord r) => new()
    {
        Id = id,
        Tenant_Id = tenantId,
        Sandbox_Id = r.SandboxId,
        At = r.Time.ToUnixTimeMilliseconds(),
        Protocol = r.Protocol.ToString().ToLowerInvariant(),
        Host = r.Host,
        Port = r.Port,
        Address = r.Address?.ToString(),
        Verdict = r.Verdict.ToString().ToLowerInvariant(),
        Reason = r.Reason,
        Bytes_Up = r.BytesUp,
        Bytes_Down = r.BytesDown,
        Duration_Ms = (long)r.Duration.TotalMilliseconds,
    };

    public EgressRecord ToRecord() => new(
        DateTimeOffset.FromUnixTimeMilliseconds(At),
        Sandbox_Id,
        Enum.TryParse<EgressProtocol>(Protocol, ignoreCase: true, out var protocol) ? protocol : EgressProtocol.Unknown,
        Host,
        (int)Port,
        IPAddress.TryParse(Address, out var address) ? address : null,
        Verdict == "allowed" ? EgressVerdict.Allowed : EgressVerdict.Refused,
        Reason,
        Bytes_Up,
        Bytes_Down,
        TimeSpan.FromMilliseconds(Duration_Ms));
}
