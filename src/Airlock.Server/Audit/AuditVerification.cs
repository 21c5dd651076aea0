namespace Airlock.Server.Audit;

/// <summary>The outcome of checking the chain: how many entries were checked, and the first broken one if any.</summary>
public sealed record AuditVerification(long Checked, long? BrokenSeq, string? Problem)
{
    public bool Intact => BrokenSeq is null && Problem is null;
}
