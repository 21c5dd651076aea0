using System.Net.WebSockets;
using Airlock.Cli.Terminal;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary>
/// The local terminal connected to a command in a sandbox of <c>airlock serve</c> through its terminal WebSocket: raw
/// mode when stdin is a terminal, stdin sent as it is typed, the window size followed, output written as it comes, and
/// the command's exit code returned. The terminal is restored however the session ends.
/// </summary>
public sealed class RemoteTerminal(TerminalIo io)
{
    public async Task<int> RunAsync(SandboxTerminal terminal, bool tty, CancellationToken ct)
    {
        RawTerminal? raw = null;
        StdinPump? pump = null;
        ResizeForwarder? resizes = null;
        try
        {
            raw = tty ? io.EnterRawMode() : null;
            raw?.HandOverInterrupt();
            resizes = tty ? ResizeForwarder.Start(io, terminal.ResizeAsync, ct) : null;
            pump = StdinPump.Start(io.StdinFd, new TerminalStdin(terminal, ct), () => CloseInput(terminal, ct));
            ExecEvent? last = null;
            await foreach (var output in terminal.ReadAsync(ct))
            {
                if (output.End is { } end)
                {
                    last = end;
                    break;
                }

                var target = output.Stderr ? io.Stderr : io.Stdout;
                await target.WriteAsync(output.Data, ct);
                await target.FlushAsync(ct);
            }

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
    private static void CloseInput(SandboxTerminal terminal, CancellationToken ct)
    {
        try
        {
            terminal.CloseInputAsync(ct).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing left to tell.
        }
    }

    /// <summary>What the stdin pump writes to: each write is one binary message.</summary>
    private sealed class TerminalStdin(SandboxTerminal terminal, CancellationToken ct) : Stream
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
                terminal.WriteInputAsync(buffer.AsMemory(offset, count).ToArray(), ct).GetAwaiter().GetResult();
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
