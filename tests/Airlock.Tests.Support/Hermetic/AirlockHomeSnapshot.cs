using System.Globalization;
using System.Security.Cryptography;

namespace Airlock.Tests.Support;

/// <summary>
/// Everything about the Airlock state directories the tests must not touch (a user's <c>~/.airlock</c>), entry by entry:
/// type, mode, owner, size, mtime and ctime (which any write, chmod or rename moves), a link's target, and a file's
/// SHA-256. A directory that is not there is recorded as absent, and must stay so.
/// </summary>
public sealed class AirlockHomeSnapshot
{
    /// <summary>Files up to this size are hashed as well; bigger ones (a namespace's caches) are held by size, mtime and ctime.</summary>
    private const long HashLimit = 64L << 20;

    private readonly IReadOnlyDictionary<string, string> _entries;

    private AirlockHomeSnapshot(IReadOnlyDictionary<string, string> entries) => _entries = entries;

    public static AirlockHomeSnapshot Take(IEnumerable<string> directories)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in directories.Distinct(StringComparer.Ordinal))
        {
            if (FileStatus.Of(root) is not { } top)
            {
                entries[root] = "absent";
                continue;
            }

            entries[root] = Describe(root, top);
            if (!top.IsDirectory)
            {
                continue;
            }

            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", options))
            {
                // Enumeration does not descend into links; an entry removed meanwhile is simply not recorded.
                if (FileStatus.Of(path) is { } status)
                {
                    entries[path] = Describe(path, status);
                }
            }
        }

        return new AirlockHomeSnapshot(entries);
    }

    /// <summary>What differs in <paramref name="after"/>, one line per path: added, removed or changed (with both descriptions).</summary>
    public IReadOnlyList<string> DifferencesFrom(AirlockHomeSnapshot after)
    {
        var differences = new List<string>();
        foreach (var (path, before) in _entries)
        {
            if (!after._entries.TryGetValue(path, out var now))
            {
                differences.Add($"removed: {path} (was {before})");
            }
            else if (now != before)
            {
                differences.Add($"changed: {path}\n    was {before}\n    now {now}");
            }
        }

        differences.AddRange(after._entries.Keys.Where(p => !_entries.ContainsKey(p)).Select(p => $"added: {p} ({after._entries[p]})"));
        return differences;
    }

    private static string Describe(string path, FileStatus status)
    {
        var common = string.Create(
            CultureInfo.InvariantCulture,
            $"mode {status.Mode:x} owner {status.Uid}:{status.Gid} size {status.Size} inode {status.Inode} mtime {status.MtimeNs} ctime {status.CtimeNs}");
        if (status.IsSymbolicLink)
        {
            return $"link -> {new FileInfo(path).LinkTarget}, {common}";
        }

        if (status.IsRegularFile && (long)status.Size <= HashLimit)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return $"file sha256 {Convert.ToHexStringLower(SHA256.HashData(stream))}, {common}";
            }
            catch (IOException)
            {
                // Held locked (a running airlock's project lock): .NET cannot read it then; ctime still says whether it was written.
                return $"file (locked), {common}";
            }
        }

        return common;
    }
}
