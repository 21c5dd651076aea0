using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Airlock.Engine.Native;
using Microsoft.Win32.SafeHandles;

namespace Airlock.Sandboxes.Files;

/// <summary>
/// File work in a directory whose contents a sandbox controls (a namespace home, a project, a template). Every path is
/// opened beneath <see cref="Root"/> with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): a link anywhere on the way is
/// refused, never followed, so nothing outside is ever read, written, chmod'ed or deleted, whatever a sandbox swaps in
/// meanwhile. A file is replaced atomically (a new file beside it, then rename), which replaces a planted link itself,
/// never what it points to. <see cref="Root"/> is trusted: it is Airlock's own path, and a sandbox cannot replace the
/// directory it has mounted.
/// </summary>
public sealed class ConfinedDirectory(string root, string? description = null)
{
    /// <summary>Config files, keyrings and settings are far smaller; a sandbox-made sparse giant is refused, not loaded.</summary>
    public const long DefaultReadLimit = 16 * 1024 * 1024;

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Root { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>What the directory is, for messages ("the namespace home").</summary>
    public string Description { get; } = description ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public string FullPath(string relative) => relative.Length == 0 ? Root : Path.Combine(Root, relative);

    /// <summary>What <paramref name="relative"/> is in itself; <see cref="EntryKind.Missing"/> when it or a parent is absent.</summary>
    public EntryKind KindOf(string relative)
    {
        var (parentPath, name) = Split(relative);
        using var parent = OpenDirectory(parentPath, create: false);
        if (parent is null)
        {
            return EntryKind.Missing;
        }

        if (Posix.StatAt(parent.Fd, name, out var stat) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == Posix.ENOENT ? EntryKind.Missing : throw Fail(relative, error);
        }

        return Kind(stat);
    }

    /// <summary>True when <paramref name="relative"/> is a plain file (not a link to one).</summary>
    public bool FileExists(string relative) => KindOf(relative) == EntryKind.File;

    /// <summary>The file's bytes, or null when it does not exist. A link, a non-regular file or one over <paramref name="limit"/> is refused.</summary>
    public byte[]? ReadFile(string relative, long limit = DefaultReadLimit)
    {
        CheckRelative(relative);
        using var rootDir = OpenRoot();
        var fd = Posix.OpenAt2(rootDir.Fd, relative, Posix.ORdOnly | Posix.ONonBlock | Posix.OCloExec, 0, Posix.ResolveBeneathNoLinks);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == Posix.ENOENT ? null : throw Fail(relative, error);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Posix.StatAt(fd, "", out var stat) != 0)
        {
            throw Fail(relative, Marshal.GetLastPInvokeError());
        }

        if (stat.Type != Posix.TypeRegular)
        {
            throw new UnsafePathException(
                $"{FullPath(relative)} is {Describe(Kind(stat))}, not a plain file; Airlock reads only plain files in {Description}",
                $"remove it, then try again");
        }

        if ((long)stat.Size > limit)
        {
            throw new UnsafePathException(
                $"{FullPath(relative)} is {stat.Size} bytes, more than the {limit} Airlock reads from {Description}",
                "remove or shrink it, then try again");
        }

        var buffer = new byte[(int)stat.Size];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == buffer.Length ? buffer : buffer[..read];
    }

    public string? ReadText(string relative, long limit = DefaultReadLimit) =>
        ReadFile(relative, limit) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Makes <paramref name="relative"/> and its missing parents; an existing one must be a real directory.</summary>
    public void CreateDirectory(string relative, UnixFileMode mode = DirectoryMode)
    {
        using var _ = OpenDirectory(relative, create: true, mode);
    }

    /// <summary>
    /// Replaces (or creates) a file with what <paramref name="write"/> writes, in one step: readers see the old file or the
    /// new one, never half of it, and a link in its place is replaced, not followed. A new file gets exactly
    /// <paramref name="mode"/>; an existing plain file keeps its permissions (without setuid, setgid or sticky bits)
    /// unless <paramref name="keepExistingMode"/> is false. Missing parent directories are made.
    /// </summary>
    public void WriteFile(string relative, UnixFileMode mode, Action<Stream> write, bool keepExistingMode = true)
    {
        var (parentPath, name) = Split(relative);
        using var parent = OpenDirectory(parentPath, create: true)!;
        if (Posix.StatAt(parent.Fd, name, out var existing) == 0)
        {
            if (existing.Type == Posix.TypeDirectory)
            {
                throw new UnsafePathException($"{FullPath(relative)} is a directory where Airlock writes a file", "move it aside, then try again");
            }

            if (keepExistingMode && existing.Type == Posix.TypeRegular)
            {
                mode = existing.Permissions & PermissionBits;
            }
        }
        else if (Marshal.GetLastPInvokeError() is var error && error != Posix.ENOENT)
        {
            throw Fail(relative, error);
        }

        mode &= PermissionBits;
        var (fd, temp) = CreateTemporary(parent.Fd, name, mode, relative);
        try
        {
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
            {
                using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
                write(stream);
                stream.Flush();
                // The create mode went through the umask; a secret must end up exactly owner-only, a shared file exactly readable.
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(handle, mode);
                }
            }

            if (Posix.RenameAt(parent.Fd, temp, parent.Fd, name) != 0)
            {
                throw Fail(relative, Marshal.GetLastPInvokeError());
            }
        }
        catch
        {
            Posix.UnlinkAt(parent.Fd, temp, 0);
            throw;
        }
    }

    public void WriteText(string relative, string content, UnixFileMode mode, bool keepExistingMode = true) =>
        WriteFile(relative, mode, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(content)), keepExistingMode);

    /// <summary>Sets the permissions of the file or directory itself; a link (or a path through one) is refused.</summary>
    public void SetMode(string relative, UnixFileMode mode)
    {
        CheckRelative(relative);
        using var rootDir = OpenRoot();
        var fd = Posix.OpenAt2(rootDir.Fd, relative.Length == 0 ? "." : relative, Posix.OPath | Posix.OCloExec, 0, Posix.ResolveBeneathNoLinks);
        if (fd < 0)
        {
            throw Fail(relative, Marshal.GetLastPInvokeError());
        }

        using var handle = new Handle(fd);
        handle.SetMode(mode & PermissionBits);
    }

    /// <summary>Makes <paramref name="relative"/> a link to <paramref name="target"/> (never resolved here), replacing a file or link there.</summary>
    public void CreateSymbolicLink(string relative, string target)
    {
        var (parentPath, name) = Split(relative);
        using var parent = OpenDirectory(parentPath, create: true)!;
        if (Posix.StatAt(parent.Fd, name, out var existing) == 0)
        {
            if (existing.Type == Posix.TypeDirectory)
            {
                throw new UnsafePathException($"{FullPath(relative)} is a directory where Airlock makes a link", "move it aside, then try again");
            }

            Posix.UnlinkAt(parent.Fd, name, 0);
        }

        if (Posix.SymlinkAt(target, parent.Fd, name) != 0)
        {
            throw Fail(relative, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Deletes <paramref name="relative"/> and everything below it; links are removed, never followed.</summary>
    public void Delete(string relative)
    {
        var (parentPath, name) = Split(relative);
        using var parent = OpenDirectory(parentPath, create: false);
        if (parent is not null)
        {
            DeleteEntry(parent, name, FullPath(relative));
        }
    }

    /// <summary>
    /// <c>rm -rf</c> that never follows a link, even one a running sandbox swaps in while it works: the replacement for
    /// Directory.Delete(recursive), which re-resolves every path by name. A missing <paramref name="path"/> is fine.
    /// </summary>
    public static void DeleteTree(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException("refusing to delete /", nameof(path));
        if (Directory.Exists(parent))
        {
            new ConfinedDirectory(parent).Delete(Path.GetFileName(full));
        }
    }

    private static void DeleteEntry(Handle dir, string name, string shown)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (Posix.StatAt(dir.Fd, name, out var stat) != 0)
            {
                var statError = Marshal.GetLastPInvokeError();
                if (statError == Posix.ENOENT)
                {
                    return;
                }

                throw new IOException($"{shown}: {Posix.Describe(statError)}");
            }

            if (stat.Type != Posix.TypeDirectory)
            {
                if (Posix.UnlinkAt(dir.Fd, name, 0) == 0 || Marshal.GetLastPInvokeError() == Posix.ENOENT)
                {
                    return;
                }

                if (Marshal.GetLastPInvokeError() == Posix.EISDIR)
                {
                    continue; // became a directory meanwhile
                }

                throw new IOException($"{shown}: cannot delete it: {Posix.Describe(Marshal.GetLastPInvokeError())}");
            }

            var fd = Posix.OpenAt2(dir.Fd, name, Posix.OPath | Posix.ODirectory | Posix.OCloExec, 0, Posix.ResolveBeneathNoLinks);
            if (fd < 0)
            {
                continue; // replaced by a link or a file meanwhile: look again, and unlink whatever it is now
            }

            using (var child = new Handle(fd))
            {
                if ((stat.Permissions & OwnerAll) != OwnerAll)
                {
                    // A sandbox may leave a directory without permissions; its owner may still give them back.
                    child.TrySetMode((stat.Permissions & PermissionBits) | OwnerAll);
                }

                foreach (var entry in child.Names())
                {
                    DeleteEntry(child, entry, shown + "/" + entry);
                }
            }

            if (Posix.UnlinkAt(dir.Fd, name, Posix.AtRemoveDir) == 0 || Marshal.GetLastPInvokeError() == Posix.ENOENT)
            {
                return;
            }

            if (Marshal.GetLastPInvokeError() is not (Posix.ENOTEMPTY or Posix.EEXIST or Posix.ENOTDIR))
            {
                throw new IOException($"{shown}: cannot delete it: {Posix.Describe(Marshal.GetLastPInvokeError())}");
            }
        }

        throw new IOException($"{shown} kept changing while it was being deleted (is a sandbox still using it?); stop the sandbox and try again");
    }

    private Handle OpenRoot()
    {
        var fd = Posix.OpenAt2(Posix.AtFdCwd, Root, Posix.OPath | Posix.ODirectory | Posix.OCloExec, 0, 0);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw error == Posix.ENOENT
                ? new DirectoryNotFoundException($"{Root} ({Description}) does not exist")
                : new IOException($"{Root} ({Description}): {Posix.Describe(error)}");
        }

        return new Handle(fd);
    }

    /// <summary>The directory, opened without following links; with <paramref name="create"/>, missing ones are made, else null when missing.</summary>
    private Handle? OpenDirectory(string relative, bool create, UnixFileMode mode = DirectoryMode)
    {
        CheckRelative(relative);
        var current = OpenRoot();
        if (relative.Length == 0)
        {
            return current;
        }

        var walked = "";
        foreach (var part in relative.Split('/'))
        {
            walked = walked.Length == 0 ? part : walked + "/" + part;
            int fd, error;
            using (current)
            {
                if (create && Posix.MkdirAt(current.Fd, part, (uint)mode) != 0 && Marshal.GetLastPInvokeError() != Posix.EEXIST)
                {
                    throw Fail(walked, Marshal.GetLastPInvokeError());
                }

                fd = Posix.OpenAt2(current.Fd, part, Posix.OPath | Posix.ODirectory | Posix.OCloExec, 0, Posix.ResolveBeneathNoLinks);
                error = Marshal.GetLastPInvokeError(); // before close(2) resets it
            }

            if (fd < 0)
            {
                return error == Posix.ENOENT && !create ? null : throw Fail(walked, error);
            }

            current = new Handle(fd);
        }

        return current;
    }

    private (int Fd, string Name) CreateTemporary(int dirFd, string name, UnixFileMode mode, string relative)
    {
        while (true)
        {
            // O_CREAT|O_EXCL never follows a link, and a random name cannot be planted in advance.
            var temp = $".{name}.airlock-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
            var fd = Posix.OpenAt2(dirFd, temp, Posix.OWrOnly | Posix.OCreat | Posix.OExcl | Posix.OCloExec, (uint)mode, Posix.ResolveBeneathNoLinks);
            if (fd >= 0)
            {
                return (fd, temp);
            }

            if (Marshal.GetLastPInvokeError() != Posix.EEXIST)
            {
                throw Fail(relative, Marshal.GetLastPInvokeError());
            }
        }
    }

    private (string Parent, string Name) Split(string relative)
    {
        CheckRelative(relative);
        if (relative.Length == 0)
        {
            throw new ArgumentException("a file name is needed", nameof(relative));
        }

        var slash = relative.LastIndexOf('/');
        return slash < 0 ? ("", relative) : (relative[..slash], relative[(slash + 1)..]);
    }

    /// <summary>Paths come from Airlock's code, never from a sandbox; one that could climb out is a bug.</summary>
    private static void CheckRelative(string relative)
    {
        if (relative.Length == 0)
        {
            return;
        }

        if (relative.StartsWith('/') || relative.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new ArgumentException($"'{relative}' is not a plain relative path", nameof(relative));
        }
    }

    private Exception Fail(string relative, int error)
    {
        var path = FullPath(relative);
        return error switch
        {
            Posix.ELOOP or Posix.EXDEV => new UnsafePathException(
                $"{LinkOnTheWay(relative) ?? path} is a symbolic link; Airlock never follows a link in {Description} (a sandbox can plant one to reach host files)",
                $"remove the link ({LinkOnTheWay(relative) ?? path}) or replace it with a real file or directory, then try again"),
            Posix.ENOTDIR => new UnsafePathException(
                $"{path}: a part of the path is not a directory", $"move the file in the way aside, then try again"),
            Posix.ENOENT => new FileNotFoundException($"{path} does not exist", path),
            _ => new IOException($"{path}: {Posix.Describe(error)}"),
        };
    }

    /// <summary>For the message only: the first link on the way to <paramref name="relative"/>, with where it points.</summary>
    private string? LinkOnTheWay(string relative)
    {
        var walked = Root;
        foreach (var part in relative.Split('/'))
        {
            walked = Path.Combine(walked, part);
            try
            {
                if (new FileInfo(walked).LinkTarget is { } target)
                {
                    return $"{walked} (-> {target})";
                }
            }
            catch (IOException)
            {
                return null;
            }
        }

        return null;
    }

    private static EntryKind Kind(Posix.StatX stat) => stat.Type switch
    {
        Posix.TypeRegular => EntryKind.File,
        Posix.TypeDirectory => EntryKind.Directory,
        Posix.TypeSymlink => EntryKind.Link,
        _ => EntryKind.Other,
    };

    private static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.Directory => "a directory",
        EntryKind.Link => "a symbolic link",
        _ => "a FIFO, socket or device",
    };

    /// <summary>An open descriptor (O_PATH for directories): what every *at call works relative to.</summary>
    private sealed class Handle(int fd) : IDisposable
    {
        public int Fd { get; } = fd;

        /// <summary>chmod through /proc/self/fd reaches exactly the opened inode (how glibc does fchmodat with AT_SYMLINK_NOFOLLOW).</summary>
        public void SetMode(UnixFileMode mode)
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(ProcPath, mode);
            }
        }

        public void TrySetMode(UnixFileMode mode)
        {
            try
            {
                SetMode(mode);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not ours to change (another owner): the deletion below reports what it cannot remove.
            }
        }

        /// <summary>The entries' names, read through the descriptor, so a rename of the directory meanwhile changes nothing.</summary>
        public List<string> Names() => Directory.EnumerateFileSystemEntries(ProcPath).Select(p => Path.GetFileName(p)).ToList();

        private string ProcPath => $"/proc/self/fd/{Fd}";

        public void Dispose() => Posix.Close(Fd);
    }
}
