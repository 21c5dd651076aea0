using Airlock.Sandboxes.Runtime;
using Airlock.Server.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Reconciliation;

/// <summary>
/// Runs the reconciler every <see cref="ServerOptions.ReconcileInterval"/> and, per node, on the engine's container
/// die/destroy events for this server's containers, so a sandbox that exits or is removed from outside shows so at
/// once. A lost event stream is opened again after a pause; the periodic pass covers what it missed meanwhile.
/// </summary>
public sealed partial class ReconcilerService(Reconciler reconciler, IEngineNodes nodes, ServerIdentity identity, ServerOptions options, TimeProvider time, ILogger<ReconcilerService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Resubscribe = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(nodes.Names.Select(n => WatchAsync(n, stoppingToken)).Append(PeriodicAsync(stoppingToken)));

    private async Task PeriodicAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.ReconcileInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await reconciler.RunAsync(allCreatesInterrupted: false, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Server stopping.
        }
    }

    private async Task WatchAsync(string node, CancellationToken stop)
    {
        var ours = new SandboxOwner { Server = identity.Id };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var runtime = await nodes.GetAsync(node, stop);
                await foreach (var ev in runtime.EventsAsync(ours, stop))
                {
                    await reconciler.OnContainerEventAsync(node, ev, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWatchFailed(logger, node, ex.Message);
            }

            try
            {
                await Task.Delay(Resubscribe, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "reconciler pass failed: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine events of node {Node} stopped ({Reason}); listening again shortly")]
    private static partial void LogWatchFailed(ILogger logger, string node, string reason);
}
