using System.Net.Sockets;
using System.Runtime.InteropServices;
using Airlock.Engine.Native;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// One direction of a tunnel copied with splice(2) through a pipe, so the bytes never enter this process: the proxy's
/// copy then costs about what the kernel's own forwarding does. Linux only; elsewhere, or without a pipe, the caller
/// copies through a buffer.
/// </summary>
internal sealed class SocketSplice : IDisposable
{
    private const int PipeBytes = 1024 * 1024;

    // What goes through the ordinary send when the destination is full: just enough to wait for room, as a splice
    // cannot wait; the rest of the pipe follows by splice once there is room.
    private const int WaitBytes = 4096;

    private readonly int _pipeRead;
    private readonly int _pipeWrite;

    private SocketSplice(int pipeRead, int pipeWrite)
    {
        _pipeRead = pipeRead;
        _pipeWrite = pipeWrite;
    }

    public static SocketSplice? TryCreate()
    {
        if (!OperatingSystem.IsLinux() || Posix.Pipe() is not { } pipe)
        {
            return null;
        }

        // A larger pipe moves more per call; refused past the user's pipe quota, which only costs speed.
        _ = Posix.Fcntl(pipe.Write, Posix.FSetPipeSize, PipeBytes);
        return new SocketSplice(pipe.Read, pipe.Write);
    }

    /// <summary>
    /// Moves everything from <paramref name="from"/> to <paramref name="to"/> until end of stream, calling
    /// <paramref name="moved"/> with each amount delivered. When <paramref name="to"/> cannot take more, the bytes in the
    /// pipe go through <paramref name="buffer"/> and an ordinary send, which waits for room as a splice cannot.
    /// </summary>
    public async Task CopyAsync(Socket from, Socket to, byte[] buffer, Action<int> moved, CancellationToken ct)
    {
        var fromRef = false;
        var toRef = false;
        // Held for the whole copy, so a socket disposed meanwhile cannot hand its fd number to another file mid-splice.
        from.SafeHandle.DangerousAddRef(ref fromRef);
        to.SafeHandle.DangerousAddRef(ref toRef);
        try
        {
            var fromFd = (int)from.SafeHandle.DangerousGetHandle();
            var toFd = (int)to.SafeHandle.DangerousGetHandle();
            while (true)
            {
                // A zero-byte receive completes when data (or the end) is there, without taking any of it.
                await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);
                var n = Posix.Splice(fromFd, _pipeWrite, PipeBytes);
                if (n == 0)
                {
                    return;
                }

                if (n < 0)
                {
                    ThrowUnlessAgain();
                    continue;
                }

                var inPipe = n;
                while (inPipe > 0)
                {
                    var m = Posix.Splice(_pipeRead, toFd, (nuint)inPipe);
                    if (m < 0)
                    {
                        ThrowUnlessAgain();
                        var r = Posix.Read(_pipeRead, buffer.AsSpan(0, (int)Math.Min(WaitBytes, inPipe)));
                        if (r <= 0)
                        {
                            throw new SocketException(Marshal.GetLastPInvokeError());
                        }

                        await SendAllAsync(to, buffer.AsMemory(0, (int)r), ct).ConfigureAwait(false);
                        m = r;
                    }

                    inPipe -= m;
                    moved((int)m);
                }
            }
        }
        finally
        {
            if (toRef)
            {
                to.SafeHandle.DangerousRelease();
            }

            if (fromRef)
            {
                from.SafeHandle.DangerousRelease();
            }
        }
    }

    private static void ThrowUnlessAgain()
    {
        var error = Marshal.GetLastPInvokeError();
        if (error != Posix.EAgain)
        {
            throw new SocketException(error);
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        while (bytes.Length > 0)
        {
            bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false)..];
        }
    }

    public void Dispose()
    {
        _ = Posix.Close(_pipeRead);
        _ = Posix.Close(_pipeWrite);
    }
}
