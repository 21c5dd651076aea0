using System.Runtime.InteropServices;

namespace Airlock.Tests.Support;

/// <summary>
/// lstat(2)'s answer for one path, through statx(2) (whose struct is the same on every Linux architecture): what .NET's
/// FileInfo does not tell, the owner and the change time. ctime moves on every write, chmod, chown or rename and cannot be
/// set back from user space, so an unchanged ctime means nobody touched the entry.
/// </summary>
public sealed partial record FileStatus(uint Mode, uint Uid, uint Gid, ulong Size, ulong Inode, long MtimeNs, long CtimeNs)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const uint FileTypeMask = 0xF000;

    public bool IsDirectory => (Mode & FileTypeMask) == 0x4000;

    public bool IsRegularFile => (Mode & FileTypeMask) == 0x8000;

    public bool IsSymbolicLink => (Mode & FileTypeMask) == 0xA000;

    /// <summary>The status of <paramref name="path"/> itself (a link is not followed), or null when nothing is there.</summary>
    public static unsafe FileStatus? Of(string path)
    {
        var buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 ? null : throw new IOException($"statx {path}: errno {errno}");
        }

        // struct statx: uid @20, gid @24, mode @28 (u16), ino @32, size @40, ctime @96, mtime @112 (i64 sec, u32 nsec).
        return new FileStatus(
            *(ushort*)(buffer + 28),
            *(uint*)(buffer + 20),
            *(uint*)(buffer + 24),
            *(ulong*)(buffer + 40),
            *(ulong*)(buffer + 32),
            Nanoseconds(buffer + 112),
            Nanoseconds(buffer + 96));
    }

    private static unsafe long Nanoseconds(byte* timestamp) => (*(long*)timestamp * 1_000_000_000L) + *(uint*)(timestamp + 8);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
}
