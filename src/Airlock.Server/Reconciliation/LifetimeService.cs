using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Reconciliation;

/// <summary>
/// Ends sandboxes whose lifetime is over, every <see cref="ServerOptions.LifetimeInterval"/>: past their timeout (running
/// or paused) or idle past their idle timeout (running), stopped or deleted as each asked. It reads deadlines from the
/// store, not from memory, so a timeout set before a restart (or by another server on the same database) fires all the
/// same, at the first pass after it is due.
/// </summary>
public sealed partial class LifetimeService(SandboxStore store, SandboxService sandboxes, ServerOptions options, TimeProvider time, ILogger<LifetimeService> logger)
    : BackgroundService
{
    /// <summary>At most this many sandboxes are ended a pass; the rest wait for the next one.</summary>
    private const int PerPass = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.LifetimeInterval, time);
        try
        {
            do
            {
                await PassAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Server stopping.
        }
    }

    /// <summary>Ends every sandbox due now; returns how many.</summary>
    public async Task<int> PassAsync(CancellationToken ct)
    {
        IReadOnlyList<SandboxRecord> due;
        try
        {
            due = await store.ListDueAsync(time.GetUtcNow(), PerPass, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPassFailed(logger, ex.Message);
            return 0;
        }

        var ended = 0;
        foreach (var sandbox in due)
        {
            if (sandbox.Lifetime?.DueReason(time.GetUtcNow(), sandbox.State) is not { } reason)
            {
                continue;
            }

            try
            {
                await sandboxes.EndAsync(sandbox, reason, ct);
                ended++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Tried again at the next pass (the row is still due).
                LogEndFailed(logger, sandbox.Id, ex.Message);
            }
        }

        return ended;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "looking for sandboxes past their lifetime failed: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sandbox {Id} is past its lifetime but could not be ended: {Reason}; trying again")]
    private static partial void LogEndFailed(ILogger logger, string id, string reason);
}
