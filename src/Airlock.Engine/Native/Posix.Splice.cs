using System.Runtime.InteropServices;

namespace Airlock.Engine.Native;

/// <summary>splice(2) and its pipe: moving bytes between two sockets inside the kernel, for the egress proxy's tunnels.</summary>
internal static unsafe partial class Posix
{
    public const uint SpliceMove = 1;
    public const uint SpliceNonBlock = 2;
    public const int FSetPipeSize = 1031;
    public const int EAgain = 11;

    /// <summary>A non-blocking, close-on-exec pipe as (read end, write end), or null with errno set.</summary>
    public static (int Read, int Write)? Pipe()
    {
        var fds = stackalloc int[2];
        return Pipe2(fds, ONonBlock | OCloExec) == 0 ? (fds[0], fds[1]) : null;
    }

    /// <summary>Moves up to <paramref name="length"/> bytes from one fd to the other (one of them a pipe), never blocking.</summary>
    public static nint Splice(int fdIn, int fdOut, nuint length) => Splice(fdIn, null, fdOut, null, length, SpliceMove | SpliceNonBlock);

    public static nint Read(int fd, Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            return Read(fd, b, (nuint)buffer.Length);
        }
    }

    [LibraryImport(LibC, EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport(LibC, EntryPoint = "splice", SetLastError = true)]
    private static partial nint Splice(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(LibC, EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nuint count);
}
