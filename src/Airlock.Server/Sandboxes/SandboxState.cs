namespace Airlock.Server.Sandboxes;

/// <summary>
/// A sandbox's lifecycle as the store records it. <c>creating</c> and <c>deleting</c> are written before the engine is
/// asked, so after a crash a reconciler can finish or undo what was under way.
/// </summary>
public static class SandboxState
{
    public const string Creating = "creating";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Exited = "exited";
    public const string Failed = "failed";
    public const string Deleting = "deleting";

    /// <summary>The container is gone (removed from outside, or the engine lost it): the row stays, holding its quota, until deleted or restored.</summary>
    public const string Lost = "lost";

    /// <summary>Frozen by the engine's freezer: its memory kept, nothing running, its quota held; resumed as it was.</summary>
    public const string Paused = "paused";

    /// <summary>The container is being recreated from a snapshot.</summary>
    public const string Restoring = "restoring";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Creating, Running, Paused, Stopped, Exited, Failed, Deleting, Lost, Restoring };
}
