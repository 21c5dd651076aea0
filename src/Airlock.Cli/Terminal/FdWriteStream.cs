using System.Runtime.InteropServices;

namespace Airlock.Cli.Terminal;

/// <summary>
/// Writes straight to a file descriptor (stdout, stderr) with write(2): no buffering, and no System.Console involvement,
/// which would otherwise initialise its own terminal handling underneath a raw-mode session.
/// </summary>
public sealed unsafe class FdWriteStream(int fd) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var offset = 0;
            while (offset < buffer.Length)
            {
                var n = Libc.Write(fd, start + offset, (nuint)(buffer.Length - offset));
                if (n >= 0)
                {
                    offset += (int)n;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                {
                    continue;
                }

                if (errno == Libc.EAGAIN)
                {
                    // A non-blocking descriptor shared with another process: wait until it drains.
                    var pfd = new Libc.PollFd { Fd = fd, Events = 0x004 /* POLLOUT */ };
                    _ = Libc.Poll(&pfd, 1, 100);
                    continue;
                }

                throw new IOException($"write to fd {fd} failed (errno {errno})");
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
