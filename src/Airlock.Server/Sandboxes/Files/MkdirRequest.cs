namespace Airlock.Server.Sandboxes.Files;

/// <summary><c>POST .../files/mkdir</c>: <c>parents</c> makes missing parents and accepts an existing directory (mkdir -p).</summary>
public sealed record MkdirRequest(string? Path, bool? Parents);
