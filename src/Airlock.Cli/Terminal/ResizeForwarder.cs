using System.Runtime.InteropServices;

namespace Airlock.Cli.Terminal;

/// <summary>
/// Keeps a remote process's terminal the size of the local one: an initial resize, then one per SIGWINCH (a burst of
/// changes collapses into one, since each resize reads the latest size). A failed resize is left for the next change:
/// the process may not run yet, or any more.
/// </summary>
public sealed class ResizeForwarder : IAsyncDisposable
{
    private readonly TerminalIo _io;
    private readonly Func<int, int, CancellationToken, Task> _resize;
    private readonly SemaphoreSlim _wanted = new(0);
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _winch;
    private readonly Task _loop;
    private int _refresh;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private ResizeForwarder(TerminalIo io, Func<int, int, CancellationToken, Task> resize, CancellationToken ct)
    {
        _io = io;
        _resize = resize;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Wake());
        _loop = LoopAsync(_stop.Token);
    }

    /// <summary>Starts forwarding when there is a terminal to size by; null otherwise.</summary>
    public static ResizeForwarder? Start(TerminalIo io, Func<int, int, CancellationToken, Task> resize, CancellationToken ct) =>
        OperatingSystem.IsWindows() || io.ReadSize() is null ? null : new ResizeForwarder(io, resize, ct);

    /// <summary>Sends the current size again even if it did not change (the last one may have been dropped).</summary>
    public void Refresh()
    {
        Interlocked.Exchange(ref _refresh, 1);
        Wake();
    }

    private void Wake()
    {
        // One pending wake-up is enough: the loop reads the latest size anyway.
        if (_wanted.CurrentCount == 0)
        {
            _wanted.Release();
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        TerminalSize? last = null;
        try
        {
            while (true)
            {
                if (_io.ReadSize() is { } size && (size != last || Interlocked.Exchange(ref _refresh, 0) == 1))
                {
                    try
                    {
                        await _resize(size.Columns, size.Rows, ct);
                        last = size;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Tried again at the next change.
                    }
                }

                await _wanted.WaitAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _winch.Dispose();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _wanted.Dispose();
    }
}
