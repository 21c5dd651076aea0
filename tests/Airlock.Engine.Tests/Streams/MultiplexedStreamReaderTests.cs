using System.Buffers.Binary;
using System.Text;
using Airlock.Engine.Streams;

namespace Airlock.Engine.Tests.Streams;

public sealed class MultiplexedStreamReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Frames_are_read_in_order_with_their_stream()
    {
        var wire = Concat(Frame(1, "out-1\n"), Frame(2, "err-1\n"), Frame(1, "out-2\n"), Frame(0, "in\n"));

        var chunks = await ReadAllAsync(new MemoryStream(wire));

        chunks.Select(c => (c.Kind, Text(c))).ShouldBe(
        [
            (OutputKind.Stdout, "out-1\n"),
            (OutputKind.Stderr, "err-1\n"),
            (OutputKind.Stdout, "out-2\n"),
            (OutputKind.Stdin, "in\n"),
        ]);
    }

    [Fact]
    public async Task Frames_split_across_many_small_reads_are_reassembled()
    {
        var wire = Concat(Frame(1, "hello, "), Frame(2, "world"), Frame(1, new string('x', 5000)));

        var chunks = await ReadAllAsync(new TrickleStream(wire, maxPerRead: 1));

        chunks.Select(c => (c.Kind, Text(c))).ShouldBe([(OutputKind.Stdout, "hello, "), (OutputKind.Stderr, "world"), (OutputKind.Stdout, new string('x', 5000))]);
    }

    [Fact]
    public async Task An_empty_stream_yields_no_chunks()
    {
        (await ReadAllAsync(new MemoryStream())).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_zero_length_frame_yields_an_empty_chunk()
    {
        var chunks = await ReadAllAsync(new MemoryStream(Concat(Frame(1, ""), Frame(2, "after"))));

        chunks.Count.ShouldBe(2);
        chunks[0].Data.Length.ShouldBe(0);
        Text(chunks[1]).ShouldBe("after");
    }

    [Fact]
    public async Task A_stream_cut_inside_a_frame_header_is_an_error()
    {
        var wire = Concat(Frame(1, "complete"), Frame(1, "cut")[..5]);

        var ex = await Should.ThrowAsync<EndOfStreamException>(() => ReadAllAsync(new MemoryStream(wire)));

        ex.Message.ShouldContain("frame header (5 of 8 bytes)");
    }

    [Fact]
    public async Task A_stream_cut_inside_a_frame_payload_is_an_error()
    {
        var wire = Frame(1, "0123456789")[..(8 + 4)];

        var ex = await Should.ThrowAsync<EndOfStreamException>(() => ReadAllAsync(new TrickleStream(wire, maxPerRead: 3)));

        ex.Message.ShouldContain("(4 of 10 bytes)");
    }

    [Fact]
    public async Task An_unknown_stream_id_is_an_error_that_suggests_a_tty_stream()
    {
        var wire = Encoding.ASCII.GetBytes("/dev/pts/0\r\n");

        var ex = await Should.ThrowAsync<InvalidDataException>(() => ReadAllAsync(new MemoryStream(wire)));

        ex.Message.ShouldContain("unknown stream id 47");
        ex.Message.ShouldContain("TTY");
    }

    [Fact]
    public async Task A_frame_announcing_more_than_64_MiB_is_refused_without_buffering_it()
    {
        var header = new byte[8];
        header[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 65u * 1024 * 1024);

        var ex = await Should.ThrowAsync<InvalidDataException>(() => ReadAllAsync(new MemoryStream(header)));

        ex.Message.ShouldContain("refusing to buffer");
    }

    [Fact]
    public async Task Raw_tty_output_is_read_as_stdout_unchanged()
    {
        var chunks = new List<OutputChunk>();
        await foreach (var chunk in MultiplexedStreamReader.ReadRawAsync(new TrickleStream("line\r\n\x01\x02"u8.ToArray(), maxPerRead: 2), Ct))
        {
            chunks.Add(chunk);
        }

        chunks.ShouldAllBe(c => c.Kind == OutputKind.Stdout);
        string.Concat(chunks.Select(Text)).ShouldBe("line\r\n\x01\x02");
    }

    [Fact]
    public async Task CopyTo_sends_stdout_and_stderr_to_their_own_destinations()
    {
        var wire = Concat(Frame(1, "a"), Frame(2, "b"), Frame(1, "c"));
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();

        await MultiplexedStreamReader.CopyToAsync(MultiplexedStreamReader.ReadAsync(new MemoryStream(wire), Ct), stdout, stderr, Ct);

        Encoding.UTF8.GetString(stdout.ToArray()).ShouldBe("ac");
        Encoding.UTF8.GetString(stderr.ToArray()).ShouldBe("b");
    }

    private static async Task<List<OutputChunk>> ReadAllAsync(Stream stream)
    {
        var chunks = new List<OutputChunk>();
        await foreach (var chunk in MultiplexedStreamReader.ReadAsync(stream, Ct))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static string Text(OutputChunk chunk) => Encoding.UTF8.GetString(chunk.Data.Span);

    private static byte[] Frame(byte stream, string payload)
    {
        var data = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[8 + data.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)data.Length);
        data.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Hands out at most a few bytes per read, as a socket under load may.</summary>
    private sealed class TrickleStream(byte[] data, int maxPerRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, maxPerRead)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, maxPerRead), cancellationToken);
    }
}
