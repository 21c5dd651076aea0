using System.Formats.Tar;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Errors;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// A tar a tenant uploads, checked entry by entry and written anew before the engine sees it. The engine extracts within
/// the sandbox's root, so this is the second wall, not the only one: an entry that is absolute or has a '..' part, a hard
/// link, a device or pipe, or a path that runs through a link made earlier in the same tar is refused (400 naming the
/// entry), and the upload stops there (entries before it may already be written). What passes is written with the
/// sandbox user as owner and without setuid, setgid or sticky bits, whatever the tar said.
/// </summary>
internal static class TenantArchive
{
    public static async Task CopyCheckedAsync(Stream tar, Stream output, FileOwner owner, CancellationToken ct)
    {
        var links = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar, leaveOpen: true);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var index = 0;
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, ct);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
            {
                throw ApiException.BadRequest($"the body is not a valid tar archive after {index} entries: {ex.Message}; send an uncompressed tar (application/x-tar)");
            }

            if (entry is null)
            {
                break;
            }

            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            if (++index > ServerLimits.MaxArchiveEntries)
            {
                throw new ApiException(413, "archive too large", $"the tar has more than {ServerLimits.MaxArchiveEntries} entries, the most one upload may hold (ServerLimits.MaxArchiveEntries); send it in parts");
            }

            var field = $"body.entries[{index - 1}]";
            var name = CheckName(field, entry.Name, links);
            if (name.Length == 0)
            {
                continue; // "./": the directory being written into, which exists already.
            }

            var copy = entry.EntryType switch
            {
                TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = entry.Length > 0 && entry.DataStream is { } data ? new KnownLengthStream(data, entry.Length) : null,
                },
                TarEntryType.Directory => new PaxTarEntry(TarEntryType.Directory, name),
                TarEntryType.SymbolicLink => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = CheckLinkTarget(field, name, entry.LinkName) },
                TarEntryType.HardLink => throw Refused(field, name, "is a hard link; hard links are refused (one could tie a name to a file the tenant does not name); send the file itself"),
                TarEntryType.BlockDevice or TarEntryType.CharacterDevice => throw Refused(field, name, "is a device node; devices are refused"),
                TarEntryType.Fifo => throw Refused(field, name, "is a named pipe; pipes are refused"),
                var other => throw Refused(field, name, $"has entry type {other}; only files, directories and symbolic links are accepted"),
            };

            if (entry.EntryType == TarEntryType.SymbolicLink)
            {
                links.Add(name);
            }
            else
            {
                links.Remove(name);
            }

            // Permission bits only: a setuid file would be a way up for whatever runs in the sandbox.
            copy.Mode = entry.Mode & (UnixFileMode)0x1FF;
            copy.Uid = owner.Uid;
            copy.Gid = owner.Gid;
            copy.ModificationTime = entry.ModificationTime;
            await writer.WriteEntryAsync(copy, ct);
        }
    }

    /// <summary>The entry's name, relative and normalised ("" for the tar's own root, "./").</summary>
    private static string CheckName(string field, string name, HashSet<string> links)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw Refused(field, name.Replace("\0", "\\0", StringComparison.Ordinal), "contains a NUL character");
        }

        if (name.StartsWith('/'))
        {
            throw Refused(field, name, "is absolute; entries must be relative to the directory given in query.path (tar -C DIR -cf - .)");
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
        {
            throw Refused(field, name, "has a '..' part; entries must stay below the directory given in query.path");
        }

        if (parts.FirstOrDefault(p => System.Text.Encoding.UTF8.GetByteCount(p) > SandboxPath.MaxNameBytes) is { } longName)
        {
            throw Refused(field, name, $"has a part longer than {SandboxPath.MaxNameBytes} bytes ('{Names.Shorten(longName)}')");
        }

        for (var i = 1; i < parts.Count; i++)
        {
            var above = string.Join('/', parts.Take(i));
            if (links.Contains(above))
            {
                throw Refused(field, name, $"goes through '{above}', a symbolic link made earlier in this tar; nothing is written through a link");
            }
        }

        return string.Join('/', parts);
    }

    private static string CheckLinkTarget(string field, string name, string target)
    {
        if (target.Length == 0 || target.Contains('\0', StringComparison.Ordinal) || target.Length > ServerLimits.MaxSandboxPathChars)
        {
            throw Refused(field, name, $"is a symbolic link without a usable target (empty, NUL or over {ServerLimits.MaxSandboxPathChars} characters)");
        }

        return target;
    }

    private static ApiException Refused(string field, string name, string why) =>
        ApiException.Invalid("the tar", [new ValidationError(field, $"'{Names.Shorten(name)}' {why}")]);
}
