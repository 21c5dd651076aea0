using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Airlock.Engine.Errors;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// <c>GET /v1/sandboxes/{id}/terminal</c>: an interactive command over a WebSocket, a shell with a pseudo-terminal by
/// default. The client's first message is a <see cref="TerminalRequest"/> (JSON text); then its binary messages are the
/// command's stdin and its text messages are <see cref="TerminalControl"/>s. The server sends output as binary messages
/// whose first byte says the stream (1 stdout, 2 stderr; everything is stdout with a terminal), then one text
/// <see cref="ExecEvent"/> (<c>exit</c> or <c>error</c>) and closes. The command is killed when the client goes.
/// </summary>
public static class SandboxTerminal
{
    public const int MaxSize = 1000;
    private const int MaxFirstMessageBytes = 2 * 1024 * 1024;
    private const int MaxMessageBytes = 64 * 1024;
    private const byte StdoutByte = 1;
    private const byte StderrByte = 2;

    public static async Task RunAsync(HttpContext context, SandboxExec execs, SandboxService sandboxes, IHostApplicationLifetime lifetime, string tenant, string id)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest("this route is a WebSocket: connect with `Upgrade: websocket` (GET), then send the command as the first message; for a command without a terminal, POST .../exec/stream");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = linked.Token;

        // Checked before the upgrade, so a missing or stopped sandbox is a problem answer with its status.
        SandboxService.RequireContainer(await sandboxes.GetAsync(tenant, id, ct), SandboxState.Running);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        RunningExec exec;
        TerminalRequest request;
        try
        {
            request = await ReceiveRequestAsync(socket, ct);
            var (options, _) = SandboxExec.Validate(new ExecRequest { Command = request.Command, Env = request.Env, WorkingDirectory = request.WorkingDirectory }, "terminal");
            var tty = request.Tty ?? true;
            exec = await execs.StartAsync(tenant, id, options with { Tty = tty, AttachStdin = true }, timeLimit: null, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await CloseAsync(socket, ExecEvent.From(ErrorMiddleware.Map(ex)), WebSocketCloseStatus.PolicyViolation, ct);
            return;
        }

        await using (exec)
        {
            if (request.Tty ?? true)
            {
                await TryResizeAsync(exec, request.Columns ?? 80, request.Rows ?? 24, ct);
            }

            var input = ReceiveInputAsync(socket, exec, ct);
            ExecEvent last;
            try
            {
                await foreach (var chunk in exec.Output.ReadAllAsync(ct))
                {
                    await SendOutputAsync(socket, chunk, ct);
                }

                last = exec.Abandoned ? new ExecEvent(ExecEvent.Exit, TimedOut: false) : ExecEvent.Ended(exec, await exec.GetExitCodeAsync(ct));
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is not WebSocketException)
            {
                last = ExecEvent.From(ErrorMiddleware.Map(ex));
            }
            catch (WebSocketException)
            {
                // The client went away mid-output: disposing the exec kills the command.
                return;
            }

            if (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseReceived)
            {
                await CloseAsync(socket, last, WebSocketCloseStatus.NormalClosure, ct);
            }

            // The input loop ends when the socket is disposed on the way out (its errors are its own to swallow).
            _ = input;
        }
    }

    private static async Task<TerminalRequest> ReceiveRequestAsync(WebSocket socket, CancellationToken ct)
    {
        var (type, data) = await ReceiveAsync(socket, MaxFirstMessageBytes, ct);
        if (type != WebSocketMessageType.Text)
        {
            throw ApiException.BadRequest("the first message must be the command as JSON text, e.g. {\"command\":[\"bash\"],\"columns\":120,\"rows\":40}");
        }

        TerminalRequest request;
        try
        {
            request = JsonSerializer.Deserialize(data, ServerJsonContext.Default.TerminalRequest)
                ?? throw ApiException.BadRequest("the first message is JSON null; send the command, e.g. {\"command\":[\"bash\"]}");
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"the first message is not a terminal request: {ex.Message} (send e.g. {{\"command\":[\"bash\"],\"columns\":120,\"rows\":40}})");
        }

        var errors = new ValidationErrors();
        CheckSize(errors, "terminal.columns", request.Columns);
        CheckSize(errors, "terminal.rows", request.Rows);
        errors.ThrowIfAny("terminal");
        return request;
    }

    private static void CheckSize(ValidationErrors errors, string path, int? value)
    {
        if (value is < 1 or > MaxSize)
        {
            errors.Add(path, $"{value} is not between 1 and {MaxSize}");
        }
    }

    /// <summary>Stdin and control messages until the client closes; then the command is given up (killed, if it still runs).</summary>
    private static async Task ReceiveInputAsync(WebSocket socket, RunningExec exec, CancellationToken ct)
    {
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var (type, data) = await ReceiveAsync(socket, MaxMessageBytes, ct);
                switch (type)
                {
                    case WebSocketMessageType.Close:
                        exec.Abandon();
                        return;
                    case WebSocketMessageType.Binary:
                        await exec.WriteStdinAsync(data, ct);
                        break;
                    default:
                        await ControlAsync(exec, data, ct);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or ApiException)
        {
            // The client went (or sent what it may not): the exec is given up below; a command that ended already is untouched.
        }

        exec.Abandon();
    }

    private static async Task ControlAsync(RunningExec exec, byte[] data, CancellationToken ct)
    {
        TerminalControl? control;
        try
        {
            control = JsonSerializer.Deserialize(data, ServerJsonContext.Default.TerminalControl);
        }
        catch (JsonException)
        {
            return;
        }

        if (control?.Type == TerminalControl.Eof)
        {
            exec.CloseStdin();
        }
        else if (control is { Type: TerminalControl.Resize, Columns: >= 1 and <= MaxSize, Rows: >= 1 and <= MaxSize })
        {
            await TryResizeAsync(exec, control.Columns.Value, control.Rows.Value, ct);
        }
    }

    private static async Task TryResizeAsync(RunningExec exec, int columns, int rows, CancellationToken ct)
    {
        try
        {
            await exec.ResizeAsync(columns, rows, ct);
        }
        catch (EngineException)
        {
            // The command may have ended already; the next resize tries again.
        }
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket, int max, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (WebSocketMessageType.Close, []);
                }

                if (message.Length + result.Count > max)
                {
                    throw ApiException.BadRequest($"a message of more than {max} bytes; send stdin in smaller messages");
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return (result.MessageType, message.ToArray());
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendOutputAsync(WebSocket socket, OutputChunk chunk, CancellationToken ct)
    {
        var frame = new byte[chunk.Data.Length + 1];
        frame[0] = chunk.Kind == OutputKind.Stderr ? StderrByte : StdoutByte;
        chunk.Data.Span.CopyTo(frame.AsSpan(1));
        await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, ct);
    }

    private static async Task CloseAsync(WebSocket socket, ExecEvent last, WebSocketCloseStatus status, CancellationToken ct)
    {
        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(last, ServerJsonContext.Default.ExecEvent);
            await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, ct);
            await socket.CloseOutputAsync(status, last.Type, ct);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client is gone already.
        }
    }
}
