using System.Formats.Tar;
using Airlock.Sandboxes.Files;

namespace Airlock.Cli.Remote;

/// <summary>
/// Extracts a tar that came out of a sandbox onto the host. The sandbox made it, so it is treated as hostile: an entry
/// that is absolute, has a '..' part, or names something other than the copied tree's root is refused, and so are hard
/// links, devices and pipes; every write goes through <see cref="ConfinedDirectory"/>, which never follows a link (a link
/// the tar made earlier, then a file "through" it, is refused); files and directories get permission bits only, never
/// setuid, setgid or sticky. The first refusal stops the copy (entries before it stay written).
/// </summary>
public static class HostArchive
{
    /// <summary>
    /// Extracts <paramref name="tar"/> into <paramref name="directory"/>; the tar's root (its entries' first part) is
    /// written as <paramref name="rootName"/> when given, else under its own name. Returns how many entries were written.
    /// </summary>
    public static int Extract(Stream tar, string directory, string? rootName)
    {
        var target = new ConfinedDirectory(directory, directory);
        using var reader = new TarReader(tar, leaveOpen: true);
        string? root = null;
        var written = 0;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            var parts = Check(entry.Name);
            if (parts.Count == 0)
            {
                continue; // "./": the destination itself.
            }

            root ??= parts[0];
            if (parts[0] != root)
            {
                throw Refused(entry.Name, $"is outside the copied tree '{root}'");
            }

            parts[0] = rootName ?? root;
            var relative = string.Join('/', parts);
            var mode = entry.Mode & (UnixFileMode)0x1FF;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    // The owner keeps rwx, so what comes after (its files) can be written and the copy deleted again.
                    target.CreateDirectory(relative, mode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    target.SetMode(relative, mode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    target.WriteFile(relative, mode, stream => entry.DataStream?.CopyTo(stream), keepExistingMode: false);
                    break;
                case TarEntryType.SymbolicLink:
                    target.CreateSymbolicLink(relative, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    throw Refused(entry.Name, "is a hard link");
                case TarEntryType.BlockDevice or TarEntryType.CharacterDevice:
                    throw Refused(entry.Name, "is a device node");
                case TarEntryType.Fifo:
                    throw Refused(entry.Name, "is a named pipe");
                default:
                    throw Refused(entry.Name, $"has entry type {entry.EntryType}");
            }

            written++;
        }

        return written;
    }

    private static List<string> Check(string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw Refused(name.Replace("\0", "\\0", StringComparison.Ordinal), "contains a NUL character");
        }

        if (name.StartsWith('/'))
        {
            throw Refused(name, "is absolute");
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        return parts.Contains("..") ? throw Refused(name, "has a '..' part, which would climb out of the destination") : parts;
    }

    private static UnsafePathException Refused(string name, string why) => new(
        $"refused the sandbox's tar: entry '{(name.Length > 200 ? name[..200] + "..." : name)}' {why}; the copy stopped there (entries before it are written)",
        "the sandbox made this archive; copy plain files and directories, or download the tar itself with `airlock sandbox cp SANDBOX:PATH - > copy.tar` and inspect it");
}
