using System.Runtime.InteropServices;

namespace Airlock.Engine.Native;

/// <summary>
/// The few Linux calls that .NET does not expose and that path safety needs: opening beneath a directory without
/// following links (openat2), the *at family relative to an open directory, and statx (owner, type and mode of an entry
/// itself, never of what a link points to). Shared with Airlock.Sandboxes (InternalsVisibleTo), so each binding exists once.
/// </summary>
internal static unsafe partial class Posix
{
    private const string LibC = "libc";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtEmptyPath = 0x1000;

    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const int OPath = 0x200000;

    /// <summary>O_DIRECTORY and O_NOFOLLOW are the two flags whose values differ between x86 and arm.</summary>
    private static readonly bool IsArm = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64;

    public static int ODirectory => IsArm ? 0x4000 : 0x10000;

    public static int ONoFollow => IsArm ? 0x8000 : 0x20000;

    /// <summary>No symbolic link is followed anywhere in the path, and nothing outside the starting directory is reached.</summary>
    public const ulong ResolveBeneathNoLinks = ResolveNoMagicLinks | ResolveNoSymlinks | ResolveBeneath;

    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveBeneath = 0x08;

    /// <summary>The same number on every architecture (added after the syscall tables were unified).</summary>
    private const long SysOpenat2 = 437;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EAGAIN = 11;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;

    public const uint FileTypeMask = 0xF000;
    public const uint TypeDirectory = 0x4000;
    public const uint TypeRegular = 0x8000;
    public const uint TypeSymlink = 0xA000;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>The part of <c>struct statx</c> read here; the kernel writes 256 bytes, so the buffer is that size.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatX
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(16)] public uint NLink;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;

        /// <summary>True when both name the same file (device and inode).</summary>
        public readonly bool SameFileAs(in StatX other) => Inode == other.Inode && DevMajor == other.DevMajor && DevMinor == other.DevMinor;

        public readonly uint Type => Mode & FileTypeMask;

        public readonly UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
    }

    private const uint StatxBasicStats = 0x7FF;

    // Set once openat2 answered "not implemented" (a kernel before 5.6, or a seccomp filter such as Airlock's own inside
    // a sandbox): from then on paths are opened one component at a time.
    private static volatile bool _noOpenat2;

    /// <summary>
    /// openat2(2): returns the fd, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>. Where openat2 is not
    /// available, <see cref="ResolveBeneathNoLinks"/> is kept by <see cref="OpenBeneathByParts"/> and no resolve flags by openat.
    /// </summary>
    public static int OpenAt2(int dirFd, string path, int flags, uint mode, ulong resolve)
    {
        if (!_noOpenat2)
        {
            // Inside a sandbox Airlock's seccomp profile refuses openat2: ENOSYS from the kernel, but EPERM under gVisor,
            // which ignores a rule's own errno. openat2 has no EPERM of its own for the opens made here.
            var fd = Openat2Syscall(dirFd, path, flags, mode, resolve);
            if (fd >= 0 || Marshal.GetLastPInvokeError() is not (ENOSYS or EPERM))
            {
                return fd;
            }

            _noOpenat2 = true;
        }

        return resolve switch
        {
            0 => OpenAt(dirFd, path, flags, mode),
            ResolveBeneathNoLinks => OpenBeneathByParts(dirFd, path, flags, mode),
            _ => throw new NotSupportedException($"resolve flags {resolve:x} without openat2"),
        };
    }

    private static int Openat2Syscall(int dirFd, string path, int flags, uint mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = mode, Resolve = resolve };
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            while (true)
            {
                var fd = (int)Syscall(SysOpenat2, dirFd, p, &how, (nuint)sizeof(OpenHow));
                if (fd >= 0 || Marshal.GetLastPInvokeError() != EINTR)
                {
                    return fd;
                }
            }
        }
    }

    /// <summary>
    /// What openat2 with <see cref="ResolveBeneathNoLinks"/> does, by hand: each directory on the way is opened relative
    /// to the one before with O_NOFOLLOW, so a link anywhere (even one swapped in meanwhile) fails with ELOOP and a
    /// <c>..</c> or an absolute path with EXDEV, as openat2 would.
    /// </summary>
    internal static int OpenBeneathByParts(int dirFd, string path, int flags, uint mode)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (path.StartsWith('/') || parts.Contains(".."))
        {
            return Failed(EXDEV);
        }

        var current = dirFd;
        try
        {
            foreach (var part in parts.SkipLast(1))
            {
                var next = OpenAt(current, part, OPath | ODirectory | ONoFollow | OCloExec, 0);
                if (next < 0)
                {
                    return FailedAt(current, part);
                }

                CloseOwned(current, dirFd);
                current = next;
            }

            var fd = OpenAt(current, parts.Count == 0 ? "." : parts[^1], flags | ONoFollow, mode);
            if (fd < 0)
            {
                return parts.Count == 0 ? -1 : FailedAt(current, parts[^1]);
            }

            // O_PATH with O_NOFOLLOW opens a link itself rather than failing: refused here as openat2 refuses it.
            if ((flags & OPath) != 0 && (StatAt(fd, "", out var stat) != 0 || stat.Type == TypeSymlink))
            {
                Close(fd);
                return Failed(ELOOP);
            }

            return fd;
        }
        finally
        {
            CloseOwned(current, dirFd);
        }
    }

    /// <summary>Keeps openat's error, but names a link where it stood (ENOTDIR or ELOOP from O_NOFOLLOW) as ELOOP.</summary>
    private static int FailedAt(int dirFd, string name)
    {
        var error = Marshal.GetLastPInvokeError();
        return Failed(error is ENOTDIR or ELOOP && StatAt(dirFd, name, out var stat) == 0 && stat.Type == TypeSymlink ? ELOOP : error);
    }

    private static int Failed(int error)
    {
        Marshal.SetLastPInvokeError(error);
        return -1;
    }

    private static void CloseOwned(int fd, int callersFd)
    {
        if (fd != callersFd)
        {
            var error = Marshal.GetLastPInvokeError();
            Close(fd);
            Marshal.SetLastPInvokeError(error);
        }
    }

    [LibraryImport(LibC, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    /// <summary>The entry itself (a link is reported as a link), relative to <paramref name="dirFd"/>; an empty path means the fd.</summary>
    public static int StatAt(int dirFd, string path, out StatX stat)
    {
        fixed (StatX* s = &stat)
        {
            return Statx(dirFd, path, path.Length == 0 ? AtEmptyPath | AtSymlinkNoFollow : AtSymlinkNoFollow, StatxBasicStats, s);
        }
    }

    [LibraryImport(LibC, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int dirFd, byte* path, OpenHow* how, nuint size);

    [LibraryImport(LibC, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, StatX* buffer);

    [LibraryImport(LibC, EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirAt(int dirFd, string path, uint mode);

    [LibraryImport(LibC, EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(int dirFd, string path, int flags);

    [LibraryImport(LibC, EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt(int oldDirFd, string oldPath, int newDirFd, string newPath);

    [LibraryImport(LibC, EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SymlinkAt(string target, int newDirFd, string linkPath);

    [LibraryImport(LibC, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(LibC, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    /// <summary>The message of errno <paramref name="error"/>, as strerror gives it.</summary>
    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);
}
