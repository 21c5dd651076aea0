namespace Airlock.Sandboxes.Runtime;

/// <summary>A sandbox that ended (<see cref="Died"/>) or went away (<see cref="Removed"/>).</summary>
public sealed record SandboxEvent(string Id, string Action, SandboxOwner Owner)
{
    public const string Died = "died";
    public const string Removed = "removed";
}
