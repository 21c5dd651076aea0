namespace Airlock.Launcher.Namespaces;

/// <summary>
/// How to rebuild: as the build dir stands (default), re-forked from the recorded template (<see cref="RefreshTemplate"/>),
/// or re-forked from another template (<see cref="Template"/>). <see cref="NoCache"/> rebuilds every layer.
/// </summary>
public sealed record RebuildOptions(bool RefreshTemplate = false, string? Template = null, bool NoCache = false);
