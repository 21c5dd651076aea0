using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Airlock.Cli.Terminal;

/// <summary>
/// Copies a file descriptor (stdin) to a process's stdin on a dedicated thread. It waits with poll(2) on the descriptor
/// and on a private pipe, so <see cref="Stop"/> wakes it at once: a blocking read on a terminal cannot be cancelled
/// otherwise. At end of input it calls <c>onEnd</c> (which half-closes the container's stdin).
/// </summary>
public sealed unsafe class StdinPump : IDisposable
{
    private readonly int _fd;
    private readonly Stream _target;
    private readonly Action _onEnd;
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;
    private int _disposed;

    private StdinPump(int fd, Stream target, Action onEnd)
    {
        _fd = fd;
        _target = target;
        _onEnd = onEnd;
        var fds = stackalloc int[2];
        if (Libc.Pipe(fds) != 0)
        {
            throw new IOException($"pipe() failed (errno {Marshal.GetLastPInvokeError()})");
        }

        _wakeRead = fds[0];
        _wakeWrite = fds[1];
        _thread = new Thread(Run) { IsBackground = true, Name = "airlock stdin" };
    }

    /// <summary>Completes when input ended, the target refused more, or the pump was stopped.</summary>
    public Task Completion => _completion.Task;

    public static StdinPump Start(int fd, Stream target, Action onEnd)
    {
        var pump = new StdinPump(fd, target, onEnd);
        pump._thread.Start();
        return pump;
    }

    /// <summary>Asks the thread to finish; it does at its next wake-up, which this causes.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            byte b = 1;
            _ = Libc.Write(_wakeWrite, &b, 1);
        }
    }

    private void Run()
    {
        var buffer = new byte[16 * 1024];
        var ended = false;
        try
        {
            var fds = stackalloc Libc.PollFd[2];
            while (Volatile.Read(ref _stopped) == 0)
            {
                fds[0] = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
                fds[1] = new Libc.PollFd { Fd = _wakeRead, Events = Libc.POLLIN };
                if (Libc.Poll(fds, 2, -1) < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR)
                    {
                        continue;
                    }

                    ended = true;
                    break;
                }

                if (fds[1].REvents != 0)
                {
                    break;
                }

                if ((fds[0].REvents & Libc.POLLNVAL) != 0)
                {
                    ended = true; // stdin is closed: nothing to forward
                    break;
                }

                if ((fds[0].REvents & (Libc.POLLIN | Libc.POLLHUP | Libc.POLLERR)) == 0)
                {
                    continue;
                }

                nint n;
                fixed (byte* p = buffer)
                {
                    n = Libc.Read(_fd, p, (nuint)buffer.Length);
                }

                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is Libc.EINTR or Libc.EAGAIN)
                    {
                        continue;
                    }

                    ended = true;
                    break;
                }

                if (n == 0)
                {
                    ended = true;
                    break;
                }

                _target.Write(buffer, 0, (int)n);
                _target.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The process (and its connection) went away: nothing left to feed.
        }
        finally
        {
            if (ended && Volatile.Read(ref _stopped) == 0)
            {
                try
                {
                    _onEnd();
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
                {
                    // Same as above.
                }
            }

            _completion.TrySetResult();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop();
        // The thread leaves poll at once; a write blocked on a full socket ends when the caller disposes the stream.
        if (_thread.Join(TimeSpan.FromSeconds(2)))
        {
            _ = Libc.Close(_wakeRead);
            _ = Libc.Close(_wakeWrite);
        }
    }
}
