using Airlock.Server.Errors;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// A request body counted as it is read: past <see cref="ServerLimits.MaxUploadBytes"/> it throws a 413 naming the
/// limit, whether or not the client announced a length.
/// </summary>
internal sealed class UploadLimitStream(Stream inner, string what) : Stream
{
    private long _read;

    public static ApiException TooLarge(string what) => new(
        413,
        "upload too large",
        $"{what} is larger than {ServerLimits.MaxUploadBytes} bytes (1 GiB), the most one upload may be (ServerLimits.MaxUploadBytes); send it in parts, e.g. a tar of each subdirectory");

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        _read += n;
        if (_read > ServerLimits.MaxUploadBytes)
        {
            throw TooLarge(what);
        }

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
