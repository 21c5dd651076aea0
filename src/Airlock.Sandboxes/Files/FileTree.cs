using System.Runtime.InteropServices;
using Airlock.Engine.Native;

namespace Airlock.Sandboxes.Files;

/// <summary>One entry of a <see cref="FileTree"/> walk: its path below the root ('/'-separated) and what it is in itself.</summary>
public sealed record FileTreeEntry(string RelativePath, string FullPath, EntryKind Kind, string? LinkTarget);

/// <summary>
/// Walks a directory tree without following links: a link (to a file or a directory) is listed as a link with its target
/// text and never entered, so a template or build dir cannot make Airlock read what lies outside it. Entries come parents
/// first, in ordinal order, so the same tree always walks the same way.
/// </summary>
public static class FileTree
{
    public static IEnumerable<FileTreeEntry> Walk(string root, Func<string, bool>? skip = null)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return WalkBelow(full, "", skip ?? (_ => false));
    }

    private static IEnumerable<FileTreeEntry> WalkBelow(string dir, string relativeDir, Func<string, bool> skip)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var relative = relativeDir.Length == 0 ? name : relativeDir + "/" + name;
            if (skip(relative))
            {
                continue;
            }

            var kind = KindOf(path);
            var entry = new FileTreeEntry(relative, path, kind, kind == EntryKind.Link ? new FileInfo(path).LinkTarget : null);
            yield return entry;
            if (kind == EntryKind.Directory)
            {
                foreach (var below in WalkBelow(path, relative, skip))
                {
                    yield return below;
                }
            }
        }
    }

    /// <summary>What the entry at <paramref name="path"/> is in itself (lstat), not what a link there points to.</summary>
    public static EntryKind KindOf(string path)
    {
        if (Posix.StatAt(Posix.AtFdCwd, path, out var stat) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == Posix.ENOENT ? EntryKind.Missing : throw new IOException($"{path}: {Posix.Describe(error)}");
        }

        return stat.Type switch
        {
            Posix.TypeRegular => EntryKind.File,
            Posix.TypeDirectory => EntryKind.Directory,
            Posix.TypeSymlink => EntryKind.Link,
            _ => EntryKind.Other,
        };
    }
}
