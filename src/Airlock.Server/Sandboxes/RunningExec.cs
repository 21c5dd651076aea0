using System.Threading.Channels;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Runtime;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// A command started in a sandbox for one API request: its output flows through a small bounded queue to whoever answers
/// the request (so a slow reader slows the command rather than filling the server's memory). When the request gives up
/// on it (the client left, or the time limit passed), the command is killed and its queue closed at once; the output
/// still coming is read and dropped until the engine ends the stream, and only then is the tenant's exec slot given back,
/// so a process that dodges the kill still counts against the tenant.
/// </summary>
public sealed partial class RunningExec : IAsyncDisposable
{
    private static readonly TimeSpan KillLimit = TimeSpan.FromSeconds(30);

    private readonly SandboxExecution _execution;
    private readonly IDisposable _slot;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly Channel<OutputChunk> _output = Channel.CreateBounded<OutputChunk>(
        new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _abandon = new();
    private readonly ITimer? _deadline;
    private readonly Task _pump;
    private int _abandoned;
    private int _ended;

    public RunningExec(SandboxExecution execution, IDisposable slot, TimeSpan? timeLimit, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _execution = execution;
        _slot = slot;
        _logger = logger;
        _stopping = stopping;
        _pump = PumpAsync();
        if (timeLimit is { } limit)
        {
            _deadline = time.CreateTimer(_ => Abandon(timedOut: true), null, limit, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The engine's id of the command, for logs.</summary>
    public string Id => _execution.Id;

    /// <summary>Stdout and stderr as they come; completes when the command's output ends, or at once when it is abandoned.</summary>
    public ChannelReader<OutputChunk> Output => _output.Reader;

    /// <summary>True once the time limit passed before the output ended (the command was then killed).</summary>
    public bool TimedOut { get; private set; }

    public bool Abandoned => Volatile.Read(ref _abandoned) != 0;

    public async ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken ct) => await _execution.Stream.WriteStdinAsync(data, ct);

    public void CloseStdin() => _execution.Stream.CloseStdin();

    public Task ResizeAsync(int columns, int rows, CancellationToken ct) => _execution.ResizeAsync(columns, rows, ct);

    /// <summary>The exit code, once <see cref="Output"/> completed without the command being abandoned.</summary>
    public Task<int> GetExitCodeAsync(CancellationToken ct) => _execution.GetExitCodeAsync(ct);

    /// <summary>
    /// Gives the command up: kills it (in the background, bounded) and closes <see cref="Output"/>. Idempotent; a command
    /// whose output already ended is left as it is.
    /// </summary>
    public void Abandon(bool timedOut = false)
    {
        if (Volatile.Read(ref _ended) != 0 || Interlocked.Exchange(ref _abandoned, 1) != 0)
        {
            return;
        }

        TimedOut = timedOut;
        if (timedOut)
        {
            LogTimedOut(_logger, Id);
        }

        _output.Writer.TryComplete();
        _abandon.Cancel();
        _ = KillAsync();
    }

    private async Task KillAsync()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        limit.CancelAfter(KillLimit);
        try
        {
            await _execution.KillAsync(limit.Token);
        }
        catch (Exception ex)
        {
            LogKillFailed(_logger, Id, ex.Message);
        }
    }

    /// <summary>Reads the engine's stream to its end (or until the server stops) and then gives back the slot. Never throws.</summary>
    private async Task PumpAsync()
    {
        await Task.Yield();
        Exception? failure = null;
        try
        {
            await foreach (var chunk in _execution.Stream.ReadOutputAsync(_stopping))
            {
                if (Abandoned)
                {
                    continue;
                }

                try
                {
                    await _output.Writer.WriteAsync(chunk, _abandon.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException && Abandoned)
                {
                    // Given up while waiting for the reader: drop this and the rest.
                }
            }
        }
        catch (Exception ex)
        {
            LogPumpEnded(_logger, Id, ex.Message);
            failure = ex;
        }
        finally
        {
            Volatile.Write(ref _ended, 1);
            _output.Writer.TryComplete(failure);
            if (_deadline is not null)
            {
                await _deadline.DisposeAsync();
            }

            await _execution.Stream.DisposeAsync();
            _slot.Dispose();
        }
    }

    /// <summary>Ends the request's hold on the command: abandoned unless its output already ended; the drain goes on alone.</summary>
    public ValueTask DisposeAsync()
    {
        Abandon();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "exec {ExecId} passed its time limit; killed, and its output is drained until it ends")]
    private static partial void LogTimedOut(ILogger logger, string execId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "exec {ExecId} could not be killed: {Reason}; it runs on and keeps its tenant's exec slot until its output ends")]
    private static partial void LogKillFailed(ILogger logger, string execId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "exec {ExecId}'s output stream ended with an error: {Reason}")]
    private static partial void LogPumpEnded(ILogger logger, string execId, string reason);
}
