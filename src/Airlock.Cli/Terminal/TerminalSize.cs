namespace Airlock.Cli.Terminal;

/// <summary>A terminal's size in character cells.</summary>
public readonly record struct TerminalSize(int Columns, int Rows)
{
    /// <summary>Reads the size of the terminal on <paramref name="fd"/> (ioctl TIOCGWINSZ); null when it is not a terminal.</summary>
    public static unsafe TerminalSize? Read(int fd)
    {
        Libc.WinSize size;
        if (Libc.IoctlWinSize(fd, Libc.TIOCGWINSZ, &size) != 0 || size.Columns == 0 || size.Rows == 0)
        {
            return null;
        }

        return new TerminalSize(size.Columns, size.Rows);
    }

    /// <summary>The size of whichever of stdout, stdin or stderr is a terminal.</summary>
    public static TerminalSize? ReadAny() => Read(Libc.StdoutFd) ?? Read(Libc.StdinFd) ?? Read(Libc.StderrFd);
}
