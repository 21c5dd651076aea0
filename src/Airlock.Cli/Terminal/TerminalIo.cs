namespace Airlock.Cli.Terminal;

/// <summary>The local end of a terminal session: where input comes from and output goes, and how to reach the terminal.</summary>
public sealed class TerminalIo
{
    public required int StdinFd { get; init; }

    public required Stream Stdout { get; init; }

    public required Stream Stderr { get; init; }

    /// <summary>Switches the input terminal to raw mode; null when input is not a terminal.</summary>
    public required Func<RawTerminal?> EnterRawMode { get; init; }

    /// <summary>The terminal's current size; null when there is no terminal to size the process by.</summary>
    public required Func<TerminalSize?> ReadSize { get; init; }

    /// <summary>This process's stdin, stdout and stderr.</summary>
    public static TerminalIo Process { get; } = new()
    {
        StdinFd = Libc.StdinFd,
        Stdout = new FdWriteStream(Libc.StdoutFd),
        Stderr = new FdWriteStream(Libc.StderrFd),
        EnterRawMode = () => RawTerminal.TryEnter(Libc.StdinFd),
        ReadSize = TerminalSize.ReadAny,
    };
}
