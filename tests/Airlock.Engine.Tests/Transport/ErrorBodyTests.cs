using Airlock.Engine.Errors;
using Airlock.Engine.Tests.Discovery;
using Airlock.Engine.Tests.Infrastructure;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Tests.Transport;

/// <summary>
/// An engine's error answer to attach or exec start, read from the raw connection: the whole message whatever the body's
/// framing (a chunk may hold CRLFs), and no waiting for more once the body has ended on a connection the engine keeps open.
/// </summary>
public sealed class ErrorBodyTests : IDisposable
{
    private const string Head404 = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Sends an attach through the client to a fake engine answering <paramref name="answer"/>; what it throws.</summary>
    private async Task<Exception> AttachAsync(string answer, bool keepOpen = true)
    {
        using var engine = new FakeEngineSocket(Path.Combine(_dir.Path, "engine.sock"), answer, keepOpen);
        using var http = new EngineHttp(EngineEndpoint.Unix(engine.Path));
        // Only a guard: a reader that waits for more on the open connection ends here with OperationCanceledException.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        return await Should.ThrowAsync<Exception>(() => http.HijackAsync("/v1.41/containers/c1/attach?stream=1", null, "attach to container c1", guard.Token));
    }

    private static string Chunk(string data) => $"{System.Text.Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n";

    [Fact]
    public async Task A_chunk_holding_CRLFs_keeps_the_whole_message_and_the_open_connection_is_not_waited_on()
    {
        var body = Chunk("{\"message\":\r\n\"no such container: c1\",\r\n") + Chunk("\"response\":404}\r\n") + "0\r\n\r\n";

        var thrown = await AttachAsync(Head404 + "Transfer-Encoding: chunked\r\n\r\n" + body);

        var notFound = thrown.ShouldBeOfType<EngineNotFoundException>();
        notFound.Message.ShouldBe("attach to container c1: no such container: c1");
    }

    [Fact]
    public async Task Chunk_extensions_and_upper_case_sizes_are_read()
    {
        const string data = "{\"message\":\"no such exec instance: e1 (a message longer than ten bytes)\"}";
        var body = $"{System.Text.Encoding.UTF8.GetByteCount(data):X};name=value\r\n{data}\r\n0;last\r\nTrailer: x\r\n\r\n";

        var thrown = await AttachAsync(Head404 + "Transfer-Encoding: chunked\r\n\r\n" + body);

        thrown.ShouldBeOfType<EngineNotFoundException>().Message.ShouldEndWith(": no such exec instance: e1 (a message longer than ten bytes)");
    }

    [Fact]
    public async Task A_body_of_a_declared_length_is_read_to_its_end_on_an_open_connection()
    {
        const string data = "{\"message\":\"no such container: c1\"}\r\n";

        var thrown = await AttachAsync(Head404 + $"Content-Length: {data.Length}\r\n\r\n" + data);

        thrown.ShouldBeOfType<EngineNotFoundException>().Message.ShouldBe("attach to container c1: no such container: c1");
    }

    [Fact]
    public async Task A_body_without_a_length_is_read_until_the_engine_closes()
    {
        var thrown = await AttachAsync(Head404 + "Connection: close\r\n\r\n{\"message\":\"no such container: c1\"}", keepOpen: false);

        thrown.ShouldBeOfType<EngineNotFoundException>().Message.ShouldBe("attach to container c1: no such container: c1");
    }

    [Fact]
    public async Task A_huge_chunked_body_is_cut_at_the_cap_without_waiting_for_its_end()
    {
        var text = new string('x', ErrorBodyReader.MaxBytes * 2);
        // Declares four times what it sends, on a connection it keeps open: only the cap may be read.
        var body = $"{ErrorBodyReader.MaxBytes * 8:x}\r\n{text}";

        var thrown = await AttachAsync("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n" + body);

        var error = thrown.ShouldBeOfType<EngineException>();
        error.Message.Length.ShouldBeLessThanOrEqualTo(ErrorBodyReader.MaxBytes + 100);
        error.Message.ShouldEndWith(new string('x', 100));
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("ffffffffffffffffff\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloGARBAGE")]
    public async Task A_malformed_chunk_ends_the_body_instead_of_waiting(string body)
    {
        var thrown = await AttachAsync(Head404 + "Transfer-Encoding: chunked\r\n\r\n" + body);

        thrown.ShouldBeOfType<EngineNotFoundException>();
    }
}
