namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// A path in a sandbox as it is in itself, the same from both engines: <see cref="Name"/> is the path's own last part
/// (never what a link resolves to), <see cref="Mode"/> the Unix permission bits (with setuid, setgid and sticky), and
/// <see cref="LinkTarget"/> is set for a link only: where it resolves within the sandbox, as an absolute path.
/// </summary>
public sealed record SandboxPathStat(string Name, SandboxPathKind Kind, long Size, int Mode, DateTimeOffset Modified, string? LinkTarget);
