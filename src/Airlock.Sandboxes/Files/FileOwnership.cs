using System.Runtime.InteropServices;
using Airlock.Engine.Native;

namespace Airlock.Sandboxes.Files;

/// <summary>What a file is in itself (never through a link), who owns it and its permission bits: Linux only.</summary>
public sealed record FileOwnership(EntryKind Kind, uint OwnerId, UnixFileMode Permissions)
{
    /// <summary>The effective user id of this process: whom a private file must belong to.</summary>
    public static uint CurrentUserId => Posix.GetEffectiveUserId();

    /// <summary>The entry at <paramref name="path"/> (lstat); null when nothing is there.</summary>
    public static FileOwnership? Of(string path)
    {
        if (Posix.StatAt(Posix.AtFdCwd, path, out var stat) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == Posix.ENOENT ? null : throw new IOException($"{path}: {Posix.Describe(error)}");
        }

        var kind = stat.Type switch
        {
            Posix.TypeRegular => EntryKind.File,
            Posix.TypeDirectory => EntryKind.Directory,
            Posix.TypeSymlink => EntryKind.Link,
            _ => EntryKind.Other,
        };
        return new FileOwnership(kind, stat.Uid, stat.Permissions);
    }
}
