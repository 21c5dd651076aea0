namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// Exactly <c>length</c> bytes of a forward-only stream, passed as seekable for what <see cref="System.Formats.Tar.TarWriter"/>
/// asks (Length and Position, never Seek): it writes an entry's header from the length, so a body streams into a tar
/// without being held. Fewer bytes than promised is an error, never a short entry.
/// </summary>
internal sealed class KnownLengthStream(Stream inner, long length) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var left = length - _read;
        if (left <= 0)
        {
            return 0;
        }

        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, left)], cancellationToken);
        if (n == 0)
        {
            throw new EndOfStreamException($"the data ended after {_read} of the {length} bytes it announced");
        }

        _read += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
