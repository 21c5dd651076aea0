using Airlock.Server.Audit;

namespace Airlock.Server.Store;

internal sealed class AuditRow
{
    public const string Columns = "seq, at, actor, tenant_id, action, target, result, status, prev_hash, hash";

    public long Seq { get; set; }
    public long At { get; set; }
    public string Actor { get; set; } = "";
    public string? Tenant_Id { get; set; }
    public string Action { get; set; } = "";
    public string? Target { get; set; }
    public string Result { get; set; } = "";
    public long Status { get; set; }
    public string Prev_Hash { get; set; } = "";
    public string Hash { get; set; } = "";

    public string ComputeHash() => AuditHash.Compute(Prev_Hash, Seq, At, Actor, Tenant_Id, Action, Target, Result, Status);

    public AuditEntry ToEntry() => new(Seq, DateTimeOffset.FromUnixTimeMilliseconds(At), Actor, Tenant_Id, Action, Target, Result, (int)Status, Prev_Hash, Hash);
}
