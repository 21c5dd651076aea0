using System.Runtime.InteropServices;

namespace Airlock.Cli.Terminal;

/// <summary>The few libc calls a terminal needs that .NET does not expose: termios, window size, poll, raw read/write.</summary>
internal static unsafe partial class Libc
{
    public const int StdinFd = 0;
    public const int StdoutFd = 1;
    public const int StderrFd = 2;

    /// <summary>Room for <c>struct termios</c> (60 bytes on Linux glibc and musl), treated as opaque bytes.</summary>
    public const int TermiosSize = 256;

    public const int TCSANOW = 0;
    public const nuint TIOCGWINSZ = 0x5413;
    public const short POLLIN = 0x001;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;
    public const int EINTR = 4;
    public const int EAGAIN = 11;

    private const string LibName = "libc";

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(LibName, EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    [LibraryImport(LibName, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport(LibName, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport(LibName, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(byte* termios);

    [LibraryImport(LibName, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlWinSize(int fd, nuint request, WinSize* size);

    [LibraryImport(LibName, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(LibName, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(LibName, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(LibName, EntryPoint = "pipe", SetLastError = true)]
    public static partial int Pipe(int* fds);

    [LibraryImport(LibName, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static bool IsTerminal(int fd) => IsATty(fd) == 1;

    /// <summary>
    /// On a cfmakeraw'd termios, turns ISIG back on with only the interrupt key active: Ctrl-C raises SIGINT, while the
    /// quit and suspend keys are disabled (passed on as bytes) so they cannot core-dump or stop Airlock.
    /// Linux's struct termios (glibc and musl): c_lflag at byte 12, c_cc at byte 17, VQUIT 1, VSUSP 10; ISIG is 1,
    /// _POSIX_VDISABLE is 0.
    /// </summary>
    public static void KeepInterruptKey(byte* termios)
    {
        *(uint*)(termios + LocalFlagsOffset) |= Isig;
        termios[ControlCharsOffset + Vquit] = 0;
        termios[ControlCharsOffset + Vsusp] = 0;
    }

    private const int LocalFlagsOffset = 12;
    private const int ControlCharsOffset = 17;
    private const int Vquit = 1;
    private const int Vsusp = 10;
    private const uint Isig = 1;
}
