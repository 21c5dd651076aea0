namespace Airlock.Cli.Terminal;

/// <summary>
/// A terminal switched to raw mode (cfmakeraw: no echo, no line editing, no signals from keys, no output processing), so
/// every key goes to the container as typed and Ctrl-C reaches the process inside. It is entered in two steps: first raw
/// except that Ctrl-C still interrupts Airlock itself, while the process is being started; then, once it runs, fully raw
/// (<see cref="HandOverInterrupt"/>). Disposing restores the saved settings; so does process exit, as a last resort
/// should a second SIGTERM end Airlock before the finally blocks run.
/// </summary>
/// <remarks>
/// Why two steps: a Ctrl-C typed while the container was being attached and started sat in the terminal as a byte and
/// was forwarded the instant the container started, before its init (catatonit, docker-init) had its signal handling
/// in place; pid 1 ignores SIGINT by default, so the key was lost and the command ran on (a 100 s sleep outlived the
/// test waiting for it). Until the process runs, Ctrl-C belongs to Airlock: it cancels the launch and removes the container.
/// </remarks>
public sealed unsafe class RawTerminal : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _saved;
    private readonly byte[] _raw;
    private int _restored;

    private RawTerminal(int fd, byte[] saved, byte[] raw)
    {
        _fd = fd;
        _saved = saved;
        _raw = raw;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>
    /// Switches <paramref name="fd"/> to raw mode, but with Ctrl-C still raising SIGINT (Ctrl-\ and Ctrl-Z are passed on
    /// as keys); null (and nothing changed) when it is not a terminal.
    /// </summary>
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
        var fullyRaw = new ReadOnlySpan<byte>(raw, Libc.TermiosSize).ToArray();
        Libc.KeepInterruptKey(raw);
        if (Libc.TcSetAttr(fd, Libc.TCSANOW, raw) != 0)
        {
            throw new IOException($"could not switch the terminal to raw mode (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }

        return new RawTerminal(fd, saved, fullyRaw);
    }

    /// <summary>The process now runs: from here Ctrl-C is a key for it (it gets SIGINT from its own terminal).</summary>
    public void HandOverInterrupt()
    {
        if (Restored)
        {
            return;
        }

        fixed (byte* r = _raw)
        {
            if (Libc.TcSetAttr(_fd, Libc.TCSANOW, r) != 0)
            {
                throw new IOException($"could not switch the terminal to raw mode (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
            }
        }
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
