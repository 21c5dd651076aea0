namespace Airlock.Server.Audit;

/// <summary>One state-changing call: who (key id), in which tenant, what (method and route), on what, when, and how it ended.</summary>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset At,
    string Actor,
    string? TenantId,
    string Action,
    string? Target,
    string Result,
    int Status,
    string PrevHash,
    string Hash);
