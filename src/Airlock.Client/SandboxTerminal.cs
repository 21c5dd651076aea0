using System.Net.WebSockets;
using System.Text.Json;

namespace Airlock.Client;

/// <summary>
/// An interactive command in a sandbox over its terminal WebSocket. Input goes in as it is typed
/// (<see cref="WriteInputAsync"/>), the window size follows (<see cref="ResizeAsync"/>), and
/// <see cref="ReadAsync"/> yields output until the command's exit. Sends may come from several threads at once.
/// </summary>
public sealed class SandboxTerminal : IDisposable
{
    private const byte StderrByte = 2;
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);

    internal SandboxTerminal(ClientWebSocket socket) => _socket = socket;

    /// <summary>Sends bytes to the command's stdin.</summary>
    public Task WriteInputAsync(ReadOnlyMemory<byte> input, CancellationToken ct = default) => SendAsync(input, WebSocketMessageType.Binary, ct);

    /// <summary>Tells the command's PTY its new size.</summary>
    public Task ResizeAsync(int columns, int rows, CancellationToken ct = default) => ControlAsync(new TerminalControl("resize", columns, rows), ct);

    /// <summary>Closes the command's stdin (end of input).</summary>
    public Task CloseInputAsync(CancellationToken ct = default) => ControlAsync(new TerminalControl("eof", null, null), ct);

    /// <summary>
    /// The next piece of output (<see cref="TerminalOutput.Stderr"/> tells which stream), or, as the last item, the
    /// server's closing event in <see cref="TerminalOutput.End"/>: the exit code, or an error. A connection that
    /// breaks before that ends the sequence without it.
    /// </summary>
    public async IAsyncEnumerable<TerminalOutput> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
                yield break;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var bytes = message.ToArray();
            message.SetLength(0);
            if (result.MessageType == WebSocketMessageType.Text)
            {
                yield return new TerminalOutput(ReadOnlyMemory<byte>.Empty, false, JsonSerializer.Deserialize(bytes, AirlockJson.Default.ExecEvent));
                yield break;
            }

            if (bytes.Length > 1)
            {
                yield return new TerminalOutput(bytes.AsMemory(1), bytes[0] == StderrByte, null);
            }
        }
    }

    internal async Task SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken ct)
    {
        await _sending.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(data, type, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private Task ControlAsync(TerminalControl control, CancellationToken ct) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(control, AirlockJson.Default.TerminalControl), WebSocketMessageType.Text, ct);

    public void Dispose()
    {
        _socket.Dispose();
        _sending.Dispose();
    }
}

/// <summary>One piece of a terminal's output, or (with <see cref="End"/>) the event that ended it.</summary>
public readonly record struct TerminalOutput(ReadOnlyMemory<byte> Data, bool Stderr, ExecEvent? End);
