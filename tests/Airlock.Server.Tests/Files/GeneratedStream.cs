using System.Security.Cryptography;

namespace Airlock.Server.Tests.Files;

/// <summary>
/// <c>length</c> pseudo-random bytes made as they are read and hashed on the way, so a 100 MB upload is never held:
/// the SHA-256 of what was sent is known once it has been read to its end.
/// </summary>
public sealed class GeneratedStream(long length, int seed) : Stream
{
    private readonly Random _random = new(seed);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    private string? _sha256;

    /// <summary>The hash of everything read, once the stream has been read to its end (it may be disposed since).</summary>
    public string Sha256 => _sha256 ?? throw new InvalidOperationException("the stream was not read to its end");

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        if (n <= 0)
        {
            return 0;
        }

        _random.NextBytes(buffer.AsSpan(offset, n));
        _hash.AppendData(buffer, offset, n);
        _position += n;
        if (_position == length)
        {
            _sha256 = Convert.ToHexStringLower(_hash.GetCurrentHash());
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The SHA-256 of a stream read to its end in chunks.</summary>
    public static async Task<string> HashAsync(Stream stream, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
