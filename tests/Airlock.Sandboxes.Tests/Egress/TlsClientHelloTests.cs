using System.Net.Security;
using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Tests.Egress;

public sealed class TlsClientHelloTests
{
    [Fact]
    public async Task A_real_client_hello_gives_its_server_name()
    {
        var hello = await CaptureHelloAsync("Tls.Test");

        TlsClientHello.Inspect(hello).ShouldBe(new TlsClientHello.Result(TlsClientHello.Status.Parsed, ServerName: "Tls.Test"));
    }

    [Fact]
    public async Task Every_prefix_of_a_client_hello_asks_for_more_and_never_more_than_the_hello()
    {
        var hello = await CaptureHelloAsync("tls.test");

        for (var i = 0; i < hello.Length; i++)
        {
            var r = TlsClientHello.Inspect(hello.AsSpan(0, i));
            r.Status.ShouldBe(TlsClientHello.Status.NeedMore, $"prefix {i}");
            r.Needed.ShouldBeInRange(i + 1, hello.Length);
        }
    }

    [Fact]
    public async Task A_client_hello_fragmented_over_records_is_reassembled()
    {
        var hello = await CaptureHelloAsync("tls.test");
        var body = hello.AsSpan(5).ToArray();
        var split = 40;
        byte[] fragmented = [22, 3, 1, 0, (byte)split, .. body[..split], 22, 3, 1, (byte)((body.Length - split) >> 8), (byte)(body.Length - split), .. body[split..]];

        TlsClientHello.Inspect(fragmented).ServerName.ShouldBe("tls.test");
    }

    [Fact]
    public void Plain_text_is_not_tls() =>
        TlsClientHello.Inspect("GET / HTTP/1.1\r\n"u8).Status.ShouldBe(TlsClientHello.Status.NotTls);

    [Theory]
    [InlineData(new byte[] { 22, 3, 1, 0xFF, 0xFF })]
    [InlineData(new byte[] { 22, 3, 1, 0, 0 })]
    [InlineData(new byte[] { 22, 3, 1, 0, 4, 1, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 22, 3, 1, 0, 4, 2, 0, 0, 0 })]
    [InlineData(new byte[] { 22, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3 })]
    public void Oversized_or_malformed_handshakes_are_refused_without_reading_on(byte[] data) =>
        TlsClientHello.Inspect(data).Status.ShouldBe(TlsClientHello.Status.Malformed);

    [Fact]
    public async Task Lengths_pointing_past_the_hello_are_malformed_not_a_crash()
    {
        var hello = await CaptureHelloAsync("tls.test");
        var random = new Random(7);

        for (var i = 0; i < 2000; i++)
        {
            var mutated = hello.ToArray();
            mutated[5 + random.Next(mutated.Length - 5)] = (byte)random.Next(256);
            var r = TlsClientHello.Inspect(mutated);
            r.Status.ShouldNotBe(TlsClientHello.Status.NotTls);
        }
    }

    internal static async Task<byte[]> CaptureHelloAsync(string serverName)
    {
        var capture = new CapturingStream();
        await using var tls = new SslStream(capture);
        await Should.ThrowAsync<IOException>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName }));
        return capture.Written.ToArray();
    }

    // Takes the client's first flight, then ends the handshake by failing the read of the server's answer.
    private sealed class CapturingStream : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("captured");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}
