namespace Airlock.Launcher.Mcp;

/// <summary>How <c>airlock mcp</c> was started: the project its sandboxes mount, and the namespace they use by default.</summary>
/// <param name="BroadProjectConfirmed">
/// <c>--yes</c>: the project may be, or hold, the person's home or Airlock's state directory. There is nobody to ask
/// once the agent drives, so without it such a project is refused.
/// </param>
public sealed record McpLauncherOptions(string ProjectDir, string DefaultNamespace, bool BroadProjectConfirmed);
