using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>
/// A terminal (<c>GET /v1/sandboxes/{id}/terminal</c>) as a client drives it: a plain <see cref="ClientWebSocket"/>,
/// stdin as binary messages, resize and eof as text, output read back with its stream byte.
/// </summary>
public sealed class TerminalSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _cancel;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private TerminalSocket(ClientWebSocket socket, CancellationTokenSource cancel)
    {
        _socket = socket;
        _cancel = cancel;
    }

    public string Stderr => _stderr.ToString();

    public static async Task<TerminalSocket> OpenAsync(ServerHarness server, string key, string sandboxId, object start)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(120));
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        var uri = new UriBuilder(server.Server.Address) { Scheme = "ws", Path = $"/v1/sandboxes/{sandboxId}/terminal" }.Uri;
        await socket.ConnectAsync(uri, cancel.Token);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(start), WebSocketMessageType.Text, true, cancel.Token);
        return new TerminalSocket(socket, cancel);
    }

    public Task SendAsync(string stdin) => _socket.SendAsync(Encoding.UTF8.GetBytes(stdin), WebSocketMessageType.Binary, true, _cancel.Token);

    public Task SendControlAsync(object control) => _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(control), WebSocketMessageType.Text, true, _cancel.Token);

    public Task ResizeAsync(int columns, int rows) => SendControlAsync(new { type = "resize", columns, rows });

    public Task<string> OutputSoFar() => Task.FromResult(_stdout.ToString());

    /// <summary>Reads output until stdout holds <paramref name="text"/>; fails if the terminal ends first.</summary>
    public async Task ReadUntilAsync(string text)
    {
        while (!_stdout.ToString().Contains(text, StringComparison.Ordinal))
        {
            if (await ReadAsync() is { } end)
            {
                throw new Xunit.Sdk.XunitException($"the terminal ended ({end.ToJsonString()}) before printing '{text}'; it printed:\n{_stdout}");
            }
        }
    }

    /// <summary>Reads output to the terminal's last (text) message and returns it.</summary>
    public async Task<JsonNode> ReadEndAsync()
    {
        while (true)
        {
            if (await ReadAsync() is { } end)
            {
                return end;
            }
        }
    }

    /// <summary>One message: output is kept (null returned); the closing text message is returned.</summary>
    private async Task<JsonNode?> ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, _cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new Xunit.Sdk.XunitException($"the terminal closed ({result.CloseStatus}) without a last message; it printed:\n{_stdout}");
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        var bytes = message.ToArray();
        if (result.MessageType == WebSocketMessageType.Text)
        {
            return JsonNode.Parse(bytes)!;
        }

        (bytes[0] == 2 ? _stderr : _stdout).Append(Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1));
        return null;
    }

    /// <summary>Goes away without a goodbye, as a client whose network dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        await _cancel.CancelAsync();
        _cancel.Dispose();
    }
}
