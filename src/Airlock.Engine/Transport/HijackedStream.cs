using System.Net.Sockets;

namespace Airlock.Engine.Transport;

/// <summary>
/// The raw, two-way connection the engine hands over after an attach or exec start upgrade.
/// Reads first drain what was buffered past the HTTP headers, then come from the socket.
/// </summary>
public sealed class HijackedStream : Stream
{
    private readonly Socket _socket;
    private readonly NetworkStream _inner;
    private ReadOnlyMemory<byte> _leftover;

    internal HijackedStream(Socket socket, ReadOnlyMemory<byte> leftover)
    {
        _socket = socket;
        _inner = new NetworkStream(socket, ownsSocket: true);
        _leftover = leftover;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Sends EOF to the process's stdin while output keeps flowing back (a half-close).</summary>
    public void CloseWrite()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already closed by the engine: the process is gone, nothing more to signal.
        }
        catch (ObjectDisposedException)
        {
            // Same as above, from our side.
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_leftover.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _leftover.Length);
            _leftover[..n].CopyTo(buffer);
            _leftover = _leftover[n..];
            return n;
        }

        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException) when (!_socket.Connected)
        {
            return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
