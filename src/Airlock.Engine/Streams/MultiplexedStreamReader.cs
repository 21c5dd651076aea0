using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Airlock.Engine.Streams;

/// <summary>
/// Reads the engine's multiplexed stream format used for non-TTY attach, exec and logs: each frame is an 8-byte header
/// (stream id, three zero bytes, big-endian payload length) followed by the payload.
/// </summary>
public static class MultiplexedStreamReader
{
    public const int HeaderSize = 8;

    /// <summary>Yields frames until the stream ends. A stream cut inside a frame is reported, not silently truncated.</summary>
    public static async IAsyncEnumerable<OutputChunk> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var header = new byte[HeaderSize];
        while (true)
        {
            var got = await FillAsync(stream, header, ct);
            if (got == 0)
            {
                yield break;
            }

            if (got < HeaderSize)
            {
                throw new EndOfStreamException($"the engine's output stream ended inside a frame header ({got} of {HeaderSize} bytes)");
            }

            var kind = header[0] switch
            {
                0 => OutputKind.Stdin,
                1 => OutputKind.Stdout,
                2 => OutputKind.Stderr,
                var other => throw new InvalidDataException($"the engine's output stream has an unknown stream id {other}; is this a TTY stream read as multiplexed?"),
            };
            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            if (length > 64 * 1024 * 1024)
            {
                throw new InvalidDataException($"the engine's output stream announced a {length}-byte frame; refusing to buffer it");
            }

            var payload = new byte[length];
            var read = await FillAsync(stream, payload, ct);
            if (read < length)
            {
                throw new EndOfStreamException($"the engine's output stream ended inside a frame ({read} of {length} bytes)");
            }

            yield return new OutputChunk(kind, payload);
        }
    }

    /// <summary>Reads a raw (TTY) stream as stdout chunks.</summary>
    public static async IAsyncEnumerable<OutputChunk> ReadRawAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0)
            {
                yield break;
            }

            yield return new OutputChunk(OutputKind.Stdout, buffer.AsMemory(0, n).ToArray());
        }
    }

    /// <summary>Copies demultiplexed output to two destinations, flushing after each chunk so interactive output is not held back.</summary>
    public static async Task CopyToAsync(IAsyncEnumerable<OutputChunk> chunks, Stream stdout, Stream stderr, CancellationToken ct = default)
    {
        await foreach (var chunk in chunks.WithCancellation(ct))
        {
            var target = chunk.Kind == OutputKind.Stderr ? stderr : stdout;
            await target.WriteAsync(chunk.Data, ct);
            await target.FlushAsync(ct);
        }
    }

    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[total..], ct);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
