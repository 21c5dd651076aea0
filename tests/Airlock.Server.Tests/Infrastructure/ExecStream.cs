using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>A streamed exec as a client reads it: one JSON object a line, taken as each arrives.</summary>
public sealed class ExecStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _cancel;

    private ExecStream(HttpResponseMessage response, StreamReader reader, CancellationTokenSource cancel)
    {
        _response = response;
        _reader = reader;
        _cancel = cancel;
    }

    /// <summary>Starts the command and returns once the answer's headers are in (a 200 with the NDJSON content type).</summary>
    public static async Task<ExecStream> OpenAsync(HttpClient client, string sandboxId, object body)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(120));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sandboxes/{sandboxId}/exec/stream") { Content = JsonContent.Create(body) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await Expect.StatusAsync(response, 200);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/x-ndjson");
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        return new ExecStream(response, reader, cancel);
    }

    /// <summary>The next line; fails when the stream ended first.</summary>
    public async Task<JsonNode> NextAsync()
    {
        var line = await _reader.ReadLineAsync(_cancel.Token) ?? throw new Xunit.Sdk.XunitException("the stream ended before the line the test waited for");
        return JsonNode.Parse(line)!;
    }

    /// <summary>True when nothing follows.</summary>
    public async Task<bool> EndedAsync() => await _reader.ReadLineAsync(_cancel.Token) is null;

    /// <summary>Hangs up, as a client that goes away mid-stream.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        _reader.Dispose();
        _response.Dispose();
        _cancel.Dispose();
    }
}
