using Airlock.Engine.Errors;
using Airlock.Engine.Exec;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Cli.Terminal;

/// <summary>
/// Connects the local terminal to a process in a container, like <c>podman run -it</c> or <c>podman exec -it</c>:
/// raw mode on a TTY stdin, stdin to the process, its output to stdout (and stderr without a TTY), window-size changes
/// forwarded (an initial resize, then one per SIGWINCH), and the process's exit code returned. The terminal is always
/// restored: when the process exits, when it is killed from outside, on cancellation (SIGINT outside raw mode,
/// SIGTERM, SIGHUP) and on errors.
/// </summary>
public sealed class TerminalSession
{
    private readonly ISandboxRuntime _runtime;
    private readonly TerminalIo _io;

    public TerminalSession(ISandboxRuntime runtime, TerminalIo? io = null)
    {
        _runtime = runtime;
        _io = io ?? TerminalIo.Process;
    }

    /// <summary>
    /// Attaches to a created (not yet started) container, starts it, pumps until its output ends, and returns its exit code.
    /// With <paramref name="interactive"/> the container must have been created with OpenStdin.
    /// </summary>
    public Task<int> RunContainerAsync(string containerId, bool interactive, bool tty, CancellationToken ct = default) =>
        RunAsync(
            interactive,
            tty,
            async c =>
            {
                ProcessStream? stream = null;
                try
                {
                    // podman prepares the container (runc create) on attach, so a missing command can fail either call.
                    stream = await _runtime.AttachAsync(containerId, interactive, tty, c);
                    await _runtime.StartAsync(containerId, c);
                    return stream;
                }
                catch (Exception ex)
                {
                    if (stream is not null)
                    {
                        await stream.DisposeAsync();
                    }

                    if (ex is EngineException engineError && CommandStartException.TryFrom(engineError, $"start container {Short(containerId)}") is { } startFailed)
                    {
                        throw startFailed;
                    }

                    throw;
                }
            },
            (columns, rows, c) => _runtime.ResizeAsync(containerId, columns, rows, c),
            c => WaitOrKilledAsync(containerId, c),
            waitAlongside: true,
            ct,
            c => _runtime.TryGetExitCodeAsync(containerId, c));

    /// <summary>A container force-removed from outside was killed: report it the way a SIGKILL reads (137).</summary>
    private async Task<int> WaitOrKilledAsync(string containerId, CancellationToken ct)
    {
        try
        {
            return await _runtime.WaitAsync(containerId, ct);
        }
        catch (EngineNotFoundException)
        {
            _io.Stderr.Write(System.Text.Encoding.UTF8.GetBytes(
                $"airlock: container {Short(containerId)} was removed from outside while it ran; exiting with 137 (killed)\n"));
            return KilledExitCode;
        }
    }

    /// <summary>128 + SIGKILL.</summary>
    public const int KilledExitCode = 137;

    /// <summary>Runs a command in a running container (an exec) with the terminal attached, and returns its exit code.</summary>
    public async Task<int> RunExecAsync(string containerId, ExecOptions options, CancellationToken ct = default)
    {
        SandboxExecution? execution = null;
        return await RunAsync(
            options.AttachStdin,
            options.Tty,
            async c =>
            {
                try
                {
                    execution = await _runtime.ExecAsync(containerId, options, c);
                    return execution.Stream;
                }
                catch (EngineException ex) when (CommandStartException.TryFrom(ex, $"exec in container {Short(containerId)}") is { } startFailed)
                {
                    throw startFailed;
                }
            },
            (columns, rows, c) => execution!.ResizeAsync(columns, rows, c),
            c => execution!.GetExitCodeAsync(c),
            waitAlongside: false,
            ct);
    }

    private async Task<int> RunAsync(
        bool interactive,
        bool tty,
        Func<CancellationToken, Task<ProcessStream>> open,
        Func<int, int, CancellationToken, Task> resize,
        Func<CancellationToken, Task<int>> exitCode,
        bool waitAlongside,
        CancellationToken ct,
        Func<CancellationToken, Task<int?>>? quickExitCode = null)
    {
        RawTerminal? raw = null;
        ProcessStream? stream = null;
        StdinPump? pump = null;
        ResizeForwarder? resizes = null;
        try
        {
            // Raw before start, so nothing typed meanwhile is echoed or line-edited locally; but Ctrl-C stays Airlock's
            // (it cancels the launch) until the process runs: forwarded earlier, pid 1 of the container would drop it.
            raw = interactive && tty ? _io.EnterRawMode() : null;
            stream = await open(ct);
            raw?.HandOverInterrupt();

            resizes = tty ? ResizeForwarder.Start(_io, resize, ct) : null;

            if (interactive)
            {
                var connection = stream;
                pump = StdinPump.Start(_io.StdinFd, connection.Raw, connection.CloseStdin);
            }

            var output = CopyOutputAsync(stream, resizes, ct);
            if (waitAlongside)
            {
                // Engines keep an attach open while its stdin is open, even after the process exited (`sleep 60 | airlock
                // ns true` would take a minute). So wait for the exit alongside the output, and on exit close our side
                // of stdin: the engine then ends the stream after the last of the output.
                using var waitStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var exited = exitCode(waitStop.Token);
                if (await Task.WhenAny(output, exited) == exited)
                {
                    pump?.Stop();
                    stream.CloseStdin();
                    await Task.WhenAny(output, Task.Delay(OutputDrainLimit, ct));
                }
                else if (quickExitCode is not null && await PollExitCodeAsync(quickExitCode, exited, ct) is { } code)
                {
                    raw?.Restore();
                    await waitStop.CancelAsync();
                    await exited.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    return code;
                }

                raw?.Restore();
                return await exited;
            }

            await output;

            // Output is over: give the terminal back before the (sometimes slow) wait for the exit code.
            raw?.Restore();
            return await exitCode(ct);
        }
        finally
        {
            if (resizes is not null)
            {
                await resizes.DisposeAsync();
            }

            pump?.Stop();
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            pump?.Dispose();
            raw?.Restore();
        }
    }

    /// <summary>How long output may keep coming after the process exited and stdin was closed, before we stop reading.</summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The output ended, so the process is gone: ask the engine a few times (bounded, about half a second) for the exit
    /// code it records, unless the wait answers first. Null sends the caller back to the wait.
    /// </summary>
    private static async Task<int?> PollExitCodeAsync(Func<CancellationToken, Task<int?>> quickExitCode, Task<int> wait, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 50 && !wait.IsCompleted; attempt++)
        {
            if (await quickExitCode(ct) is { } code)
            {
                return code;
            }

            await Task.WhenAny(wait, Task.Delay(10, ct));
        }

        return null;
    }

    /// <summary>
    /// The process's output to ours. Its first output also sizes its terminal once more: an engine can take the resize
    /// sent right after the start before the process's terminal exists and drop it (podman does, on a loaded machine),
    /// and the size would then never change to be sent again; once the process writes, its terminal is there.
    /// </summary>
    private async Task CopyOutputAsync(ProcessStream stream, ResizeForwarder? resizes, CancellationToken ct)
    {
        try
        {
            await MultiplexedStreamReader.CopyToAsync(RefreshingAtFirst(stream.ReadOutputAsync(ct), resizes), _io.Stdout, _io.Stderr, ct);
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            // The connection was cut (the engine went away mid-stream): the exit code says what happened.
        }
    }

    private static async IAsyncEnumerable<OutputChunk> RefreshingAtFirst(IAsyncEnumerable<OutputChunk> chunks, ResizeForwarder? resizes)
    {
        var first = true;
        await foreach (var chunk in chunks)
        {
            if (first)
            {
                first = false;
                resizes?.Refresh();
            }

            yield return chunk;
        }
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
