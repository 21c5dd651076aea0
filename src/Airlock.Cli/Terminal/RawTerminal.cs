namespace Airlock.Cli.Terminal;

/// <summary>
/// A terminal switched to raw mode (cfmakeraw: no echo, no line editing, no signals from keys, no output processing), so
/// every key goes to the container as typed and Ctrl-C reaches the process inside. Disposing restores the saved settings;
/// so does process exit, as a last resort should a second SIGTERM end Airlock before the finally blocks run.
/// </summary>
public sealed unsafe class RawTerminal : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _saved;
    private int _restored;

    private RawTerminal(int fd, byte[] saved)
    {
        _fd = fd;
        _saved = saved;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Switches <paramref name="fd"/> to raw mode; null (and nothing changed) when it is not a terminal.</summary>
    public static RawTerminal? TryEnter(int fd = Libc.StdinFd)
    {
        if (!Libc.IsTerminal(fd))
        {
            return null;
        }

        var saved = new byte[Libc.TermiosSize];
        var raw = stackalloc byte[Libc.TermiosSize];
        fixed (byte* s = saved)
        {
            if (Libc.TcGetAttr(fd, s) != 0)
            {
                return null;
            }

            new ReadOnlySpan<byte>(s, Libc.TermiosSize).CopyTo(new Span<byte>(raw, Libc.TermiosSize));
        }

        Libc.CfMakeRaw(raw);
        if (Libc.TcSetAttr(fd, Libc.TCSANOW, raw) != 0)
        {
            throw new IOException($"could not switch the terminal to raw mode (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }

        return new RawTerminal(fd, saved);
    }

    public bool Restored => Volatile.Read(ref _restored) != 0;

    /// <summary>Puts the terminal back as it was; safe to call more than once and from any thread.</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        fixed (byte* s = _saved)
        {
            _ = Libc.TcSetAttr(_fd, Libc.TCSANOW, s);
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    public void Dispose() => Restore();
}
