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

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Creating, Running, Stopped, Exited, Failed, Deleting };
}
