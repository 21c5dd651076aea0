namespace Airlock.Server.Audit;

/// <summary>What the server appends; the store adds the sequence number and the hashes.</summary>
public sealed record AuditRecord(DateTimeOffset At, string Actor, string? TenantId, string Action, string? Target, string Result, int Status);
