namespace Airlock.Server.Snapshots;

/// <summary><c>creating</c> while the engine commits (written first, so a crash is found), then <c>ready</c>.</summary>
public static class SnapshotState
{
    public const string Creating = "creating";
    public const string Ready = "ready";
}
