namespace Airlock.Sandboxes.Files;

/// <summary>What an entry is in itself: a link is a <see cref="Link"/>, whatever it points to.</summary>
public enum EntryKind
{
    Missing,
    File,
    Directory,
    Link,

    /// <summary>A FIFO, socket or device node: never read or written by Airlock.</summary>
    Other,
}
