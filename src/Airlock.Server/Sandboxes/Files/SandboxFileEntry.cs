using Airlock.Sandboxes.Runtime;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// One path in a sandbox as stat and list answer it: <c>kind</c> is file, directory, symlink or other (device, pipe,
/// socket), <c>mode</c> the permission bits in octal ("0644"), <c>linkTarget</c> where a link points (for stat: where it
/// resolves within the sandbox; for list: the link's own text).
/// </summary>
public sealed record SandboxFileEntry(string Name, string Path, string Kind, long Size, string Mode, DateTimeOffset Modified, string? LinkTarget)
{
    public static SandboxFileEntry From(string path, SandboxPathStat stat) =>
        new(stat.Name, path, KindName(stat.Kind), stat.Size, Octal(stat.Mode), stat.Modified, stat.LinkTarget);

    public static string KindName(SandboxPathKind kind) => kind switch
    {
        SandboxPathKind.File => "file",
        SandboxPathKind.Directory => "directory",
        SandboxPathKind.Symlink => "symlink",
        _ => "other",
    };

    public static string Octal(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8).PadLeft(3, '0');
}
