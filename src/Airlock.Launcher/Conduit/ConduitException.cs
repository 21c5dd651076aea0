namespace Airlock.Launcher.Conduit;

/// <summary>
/// A conduit problem with what went wrong and how to fix it. <see cref="ServerProblem"/> marks the model server's side
/// (unreachable, HTTP error, malformed answer): the CLI exits 3 for those, as for an unreachable engine, and 2 otherwise.
/// </summary>
public sealed class ConduitException(string message, string howToFix, bool serverProblem = false) : Exception(message)
{
    public string HowToFix { get; } = howToFix;

    public bool ServerProblem { get; } = serverProblem;
}
