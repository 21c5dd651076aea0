namespace Airlock.Sandboxes.Runtime;

/// <summary>What a path in a sandbox is, in itself (a link is a link, not what it points to).</summary>
public enum SandboxPathKind
{
    File,
    Directory,
    Symlink,

    /// <summary>A device, pipe or socket.</summary>
    Other,
}
