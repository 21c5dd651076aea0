using System.Net.WebSockets;
using System.Text.Json;
using Airlock.Cli.Terminal;

namespace Airlock.Cli.Remote;

/// <summary>
/// The local terminal connected to a command in a sandbox of <c>airlock serve</c> through its terminal WebSocket: raw
/// mode when stdin is a terminal, stdin sent as it is typed, the window size followed, output written as it comes, and
/// the command's exit code returned. The terminal is restored however the session ends.
/// </summary>
public sealed class RemoteTerminal(TerminalIo io)
{
    private const byte StderrByte = 2;

    public async Task<int> RunAsync(ClientWebSocket socket, TerminalStart start, CancellationToken ct)
    {
        var sender = new SocketSender(socket);
        await sender.SendTextAsync(JsonSerializer.SerializeToUtf8Bytes(start, RemoteJson.Default.TerminalStart), ct);
        RawTerminal? raw = null;
        StdinPump? pump = null;
        ResizeForwarder? resizes = null;
        try
        {
            raw = start.Tty ? io.EnterRawMode() : null;
            raw?.HandOverInterrupt();
            resizes = start.Tty ? ResizeForwarder.Start(io, (columns, rows, c) => SendControlAsync(sender, new TerminalControl("resize", columns, rows), c), ct) : null;
            pump = StdinPump.Start(io.StdinFd, new SocketStdin(sender, ct), () => SendEof(sender, ct));
            var last = await ReceiveAsync(socket, ct);
            raw?.Restore();
            return last switch
            {
                { Type: "exit", ExitCode: { } code } => code,
                { Type: "error" } error => throw new RemoteApiException(error.Status ?? 500, $"the server ended the terminal: {error.Detail ?? error.Title}", [], null, null),
                _ => throw new RemoteApiException(502, "the server ended the terminal without the command's exit code", [], "try again; the server's log says why", null),
            };
        }
        finally
        {
            if (resizes is not null)
            {
                await resizes.DisposeAsync();
            }

            pump?.Stop();
            pump?.Dispose();
            raw?.Restore();
        }
    }

    /// <summary>Stdin ended: the command's stdin is closed (on the pump's thread; a closed socket means the command is over anyway).</summary>
    private static void SendEof(SocketSender sender, CancellationToken ct)
    {
        try
        {
            SendControlAsync(sender, new TerminalControl("eof", null, null), ct).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing left to tell.
        }
    }

    private static Task SendControlAsync(SocketSender sender, TerminalControl control, CancellationToken ct) =>
        sender.SendTextAsync(JsonSerializer.SerializeToUtf8Bytes(control, RemoteJson.Default.TerminalControl), ct);

    /// <summary>Output to stdout and stderr until the server's last (text) message, which is returned.</summary>
    private async Task<ExecEvent?> ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
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
                return JsonSerializer.Deserialize(bytes, RemoteJson.Default.ExecEvent);
            }

            if (bytes.Length > 1)
            {
                var target = bytes[0] == StderrByte ? io.Stderr : io.Stdout;
                await target.WriteAsync(bytes.AsMemory(1), ct);
                await target.FlushAsync(ct);
            }
        }
    }

    /// <summary>One send at a time: stdin (from the pump's thread), resizes and eof share the socket.</summary>
    private sealed class SocketSender(ClientWebSocket socket)
    {
        private readonly SemaphoreSlim _one = new(1, 1);

        public Task SendTextAsync(byte[] json, CancellationToken ct) => SendAsync(json, WebSocketMessageType.Text, ct);

        public async Task SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken ct)
        {
            await _one.WaitAsync(ct);
            try
            {
                await socket.SendAsync(data, type, endOfMessage: true, ct);
            }
            finally
            {
                _one.Release();
            }
        }
    }

    /// <summary>What the stdin pump writes to: each write is one binary message.</summary>
    private sealed class SocketStdin(SocketSender sender, CancellationToken ct) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            try
            {
                sender.SendAsync(buffer.AsMemory(offset, count).ToArray(), WebSocketMessageType.Binary, ct).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                throw new IOException("the terminal's connection closed", ex);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
