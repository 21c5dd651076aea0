namespace Airlock.Server.Reconciliation;

/// <summary>What one reconciler pass changed, by sandbox or snapshot id, and the nodes it could not reach.</summary>
public sealed record ReconcileReport(
    IReadOnlyList<string> OrphansRemoved,
    IReadOnlyList<string> CreatesAdopted,
    IReadOnlyList<string> CreatesUndone,
    IReadOnlyList<string> DeletesFinished,
    IReadOnlyList<string> Exited,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> SnapshotsUndone,
    IReadOnlyList<string> UnreachableNodes)
{
    public bool Complete => UnreachableNodes.Count == 0;

    public int Changes => OrphansRemoved.Count + CreatesAdopted.Count + CreatesUndone.Count + DeletesFinished.Count + Exited.Count + Lost.Count + SnapshotsUndone.Count;

    /// <summary>Collects one pass's changes; passes run one at a time, so no locking.</summary>
    public sealed class Builder
    {
        public List<string> OrphansRemoved { get; } = [];
        public List<string> CreatesAdopted { get; } = [];
        public List<string> CreatesUndone { get; } = [];
        public List<string> DeletesFinished { get; } = [];
        public List<string> Exited { get; } = [];
        public List<string> Lost { get; } = [];
        public List<string> SnapshotsUndone { get; } = [];
        public List<string> UnreachableNodes { get; } = [];

        public ReconcileReport Build() => new(OrphansRemoved, CreatesAdopted, CreatesUndone, DeletesFinished, Exited, Lost, SnapshotsUndone, UnreachableNodes);
    }
}
