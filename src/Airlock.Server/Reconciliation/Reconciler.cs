using Airlock.Engine.Errors;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Egress;
using Airlock.Server.Egress;
using Airlock.Server.Nodes;
using Airlock.Server.Observability;
using Airlock.Server.Sandboxes;
using Airlock.Server.Snapshots;
using Airlock.Server.Store;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Reconciliation;

/// <summary>
/// Makes the store and the engines agree, so that every sandbox the API acknowledged exists exactly once (a row and
/// its container) and nothing else this server's database made is left in an engine. Per node, it lists the
/// containers labelled with this database's <see cref="ServerIdentity"/> first and reads the rows after, so a container
/// without a row really has none (rows are written before containers are made, and removed after):
/// <list type="bullet">
/// <item>a container without a row is an orphan and is removed;</item>
/// <item>a <c>creating</c> row no request is working on (every one at start; older than
/// <see cref="ServerOptions.StaleCreateAfter"/> later) was cut off: its container running means the create got through
/// and the row becomes <c>running</c>; otherwise the container (if any) and the row are removed and the quota given back
/// (that create was never acknowledged);</item>
/// <item><c>deleting</c> and <c>failed</c> rows finish: container, then row;</item>
/// <item>a <c>running</c> row whose container stopped becomes <c>exited</c> with its exit code;</item>
/// <item>a row whose container vanished becomes <c>lost</c> (kept, holding its quota, until deleted or restored);</item>
/// <item>a <c>restoring</c> row cut off becomes <c>running</c> when its new container runs, else <c>lost</c>;</item>
/// <item><c>creating</c> snapshot rows cut off, and snapshot images without a row, are removed;</item>
/// <item>a network guard without its sandbox's row is removed, and goes with its sandbox (as does an egress proxy).</item>
/// </list>
/// At start, <see cref="RehostEgressAsync"/> listens again for the allowlist sandboxes the last run of the server hosted.
/// Passes run one at a time: at start, every <see cref="ServerOptions.ReconcileInterval"/>, on demand, and for single
/// sandboxes on the engines' die/destroy events.
/// </summary>
public sealed partial class Reconciler(
    SandboxStore sandboxes,
    SnapshotStore snapshots,
    SandboxService service,
    SandboxEgressHosts egressHosts,
    Secrets.TenantSecretService secrets,
    SnapshotService snapshotService,
    IEngineNodes nodes,
    ServerIdentity identity,
    ServerOptions options,
    ServerMetrics metrics,
    TimeProvider time,
    ILogger<Reconciler> logger)
{
    public const string LostMessage = SandboxService.LostMessage;

    private readonly SemaphoreSlim _pass = new(1, 1);
    private int _completePasses;

    /// <summary>True once a pass has reached every node (readiness waits for it).</summary>
    public bool HasCompletedPass => Volatile.Read(ref _completePasses) > 0;

    /// <summary>Everything a server on this database made, and nothing of another's.</summary>
    private SandboxOwner Ours => new() { Server = identity.Id };

    /// <param name="allCreatesInterrupted">Treat every create this server is not working on as cut off (at start, or asked by an admin).</param>
    public async Task<ReconcileReport> RunAsync(bool allCreatesInterrupted, CancellationToken ct)
    {
        await _pass.WaitAsync(ct);
        try
        {
            var report = new ReconcileReport.Builder();
            foreach (var node in nodes.Names)
            {
                try
                {
                    await ReconcileNodeAsync(node, allCreatesInterrupted, report, ct);
                }
                catch (EngineUnreachableException ex)
                {
                    report.UnreachableNodes.Add(node);
                    LogNodeUnreachable(logger, node, ex.Message);
                }
            }

            var result = report.Build();
            metrics.Reconciled(result.Changes);
            if (result.Complete)
            {
                Interlocked.Increment(ref _completePasses);
            }

            if (result.Changes > 0)
            {
                LogPass(logger, result.OrphansRemoved.Count, result.CreatesAdopted.Count, result.CreatesUndone.Count, result.DeletesFinished.Count,
                    result.Exited.Count, result.Lost.Count, result.SnapshotsUndone.Count);
            }

            return result;
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>A container of this server died or was removed: brings its sandbox's row up to date at once.</summary>
    public async Task OnContainerEventAsync(string node, SandboxEvent ev, CancellationToken ct)
    {
        if (ev.Owner.Tenant is not { } tenantId || ev.Owner.SandboxId is not { } id)
        {
            return;
        }

        await _pass.WaitAsync(ct);
        try
        {
            if (await sandboxes.GetAsync(tenantId, id, ct) is { } row && row.Node == node)
            {
                var runtime = await nodes.GetAsync(node, ct);
                await ReconcileRowAsync(runtime, row, listed: null, allCreatesInterrupted: false, new ReconcileReport.Builder(), ct);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task ReconcileNodeAsync(string node, bool allCreatesInterrupted, ReconcileReport.Builder report, CancellationToken ct)
    {
        var runtime = await nodes.GetAsync(node, ct);
        var containers = await runtime.ListAsync(Ours, runningOnly: false, ct);
        var images = await runtime.ListImagesAsync(Ours, ct);
        var listed = containers
            .Where(c => c.Owner.Node == node && c.Owner.SandboxId is not null && c.Owner.Role != SandboxOwner.Roles.ServerGuard)
            .GroupBy(c => c.Owner.SandboxId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var rows = await sandboxes.ListOnNodeAsync(node, null, ct);
        var known = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, orphans) in listed.Where(l => !known.Contains(l.Key)))
        {
            foreach (var orphan in orphans)
            {
                await runtime.RemoveAsync(orphan.Id, RemoveMode.Wait, ct);
            }

            report.OrphansRemoved.Add(id);
        }

        // Guards are made after their row and removed before it, so one whose row is gone (a crash between) is an orphan too.
        foreach (var guard in containers.Where(c => c.Owner.Node == node && c.Owner.Role == SandboxOwner.Roles.ServerGuard && !known.Contains(c.Owner.SandboxId ?? "")))
        {
            await runtime.RemoveAsync(guard.Id, RemoveMode.Wait, ct);
            report.OrphansRemoved.Add(guard.Owner.SandboxId ?? guard.Name);
        }

        foreach (var row in rows)
        {
            try
            {
                await ReconcileRowAsync(runtime, row, listed.GetValueOrDefault(row.Id), allCreatesInterrupted, report, ct);
            }
            catch (EngineException ex) when (ex is not EngineUnreachableException)
            {
                LogRowFailed(logger, row.Id, ex.Message);
            }
        }

        await ReconcileSnapshotsAsync(runtime, node, images.Where(i => i.Owner.Node == node).ToList(), allCreatesInterrupted, report, ct);
    }

    private async Task ReconcileRowAsync(
        ISandboxRuntime runtime, SandboxRecord row, List<SandboxSummary>? listed, bool allCreatesInterrupted, ReconcileReport.Builder report, CancellationToken ct)
    {
        if (service.IsInFlight(row.Id))
        {
            return;
        }

        var container = row.ContainerId ?? row.ContainerName;
        switch (row.State)
        {
            case SandboxState.Creating:
                if (!allCreatesInterrupted && time.GetUtcNow() - row.UpdatedAt < options.StaleCreateAfter)
                {
                    return;
                }

                var made = await runtime.TryInspectAsync(row.ContainerName, ct);
                if (made is { Running: true })
                {
                    if (await sandboxes.SetStateAsync(row.TenantId, row.Id, SandboxState.Running, [SandboxState.Creating], made.Id, ct: ct))
                    {
                        report.CreatesAdopted.Add(row.Id);
                    }
                }
                else
                {
                    if (made is not null)
                    {
                        await runtime.RemoveAsync(made.Id, RemoveMode.Wait, ct);
                    }

                    await service.RemoveNetworkAsync(runtime, row.Id);
                    if (await sandboxes.DeleteAsync(row.TenantId, row.Id, ct))
                    {
                        report.CreatesUndone.Add(row.Id);
                    }
                }

                return;

            case SandboxState.Deleting or SandboxState.Failed:
                // A delete the API is doing right now would meet a second removal of the same container (Docker then
                // answers 409 "removal already in progress"), so recent ones are left to it.
                if (row.State == SandboxState.Deleting && !allCreatesInterrupted && time.GetUtcNow() - row.UpdatedAt < options.StaleCreateAfter)
                {
                    return;
                }

                await runtime.RemoveAsync(container, RemoveMode.Wait, ct);
                await runtime.RemoveAsync(row.ContainerName, RemoveMode.Wait, ct);
                await service.RemoveNetworkAsync(runtime, row.Id);
                if (await sandboxes.DeleteAsync(row.TenantId, row.Id, ct))
                {
                    report.DeletesFinished.Add(row.Id);
                }

                return;

            case SandboxState.Running:
                // The listing agreeing is enough; anything else is checked on a fresh inspect, read after the row.
                if (listed?.Any(c => c.Running) == true)
                {
                    return;
                }

                switch (await SandboxEnding.RecordAsync(sandboxes, row.TenantId, row.Id, await runtime.TryInspectAsync(container, ct), ct))
                {
                    case SandboxState.Lost:
                        report.Lost.Add(row.Id);
                        break;
                    case SandboxState.Exited:
                        report.Exited.Add(row.Id);
                        break;
                }

                return;

            case SandboxState.Stopped or SandboxState.Exited or SandboxState.Paused:
                if (listed is { Count: > 0 } || await runtime.TryInspectAsync(container, ct) is not null)
                {
                    return;
                }

                if (await sandboxes.SetStateAsync(row.TenantId, row.Id, SandboxState.Lost, [row.State], exitCode: row.ExitCode, error: LostMessage, ct: ct))
                {
                    report.Lost.Add(row.Id);
                }

                return;

            case SandboxState.Restoring:
                var restored = await runtime.TryInspectAsync(row.ContainerName, ct);
                if (restored is { Running: true })
                {
                    if (await sandboxes.SetStateAsync(row.TenantId, row.Id, SandboxState.Running, [SandboxState.Restoring], restored.Id, ct: ct))
                    {
                        report.CreatesAdopted.Add(row.Id);
                    }
                }
                else
                {
                    if (restored is not null)
                    {
                        await runtime.RemoveAsync(restored.Id, RemoveMode.Wait, ct);
                    }

                    if (await sandboxes.SetStateAsync(row.TenantId, row.Id, SandboxState.Lost, [SandboxState.Restoring], error: "its restore was cut off; restore it again or delete it", ct: ct))
                    {
                        report.Lost.Add(row.Id);
                    }
                }

                return;
        }
    }

    /// <summary>
    /// Hosts again the egress proxy of every allowlist sandbox on this server's local nodes that still has a container,
    /// at the path its container mounts, with the destinations stored: run once at start, before the API listens, after
    /// a pass has settled what a crash left. A sandbox with secrets gets them back with the authority and placeholders
    /// stored with it, and the values of now. Returns how many.
    /// </summary>
    public async Task<int> RehostEgressAsync(CancellationToken ct)
    {
        var hosted = 0;
        foreach (var node in nodes.Names.Where(nodes.IsLocal))
        {
            foreach (var row in await sandboxes.ListOnNodeAsync(node, [SandboxState.Running, SandboxState.Paused, SandboxState.Stopped, SandboxState.Exited], ct))
            {
                if (StoredEgress(row) is not { Mode: EgressMode.Allowlist } policy)
                {
                    continue;
                }

                try
                {
                    egressHosts.Host(row.TenantId, row.Id, policy, (await LoadSecretsAsync(row, ct))?.Hosted);
                    hosted++;
                }
                catch (Exception ex) when (ex is Errors.ApiException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
                {
                    // The server still starts: that sandbox reaches nothing (it has no other way out) until this is fixed.
                    LogRehostFailed(logger, row.Id, ex.Message);
                }
            }
        }

        return hosted;
    }

    /// <summary>
    /// The sandbox's secrets; null when it has none, or when they cannot be opened (the server's key checked at start, so
    /// only a row changed since): the proxy then runs without them, leaving the sandbox's tunnels alone.
    /// </summary>
    private async Task<Secrets.SandboxSecrets?> LoadSecretsAsync(SandboxRecord row, CancellationToken ct)
    {
        try
        {
            return await secrets.LoadAsync(row.TenantId, row.Id, ct);
        }
        catch (Secrets.SecretsKeyException ex)
        {
            LogSecretsUnreadable(logger, row.Id, ex.Message, ex.HowToFix);
            return null;
        }
    }

    /// <summary>The egress policy a sandbox was stored with; null when its stored request cannot be read.</summary>
    private static EgressPolicy? StoredEgress(SandboxRecord row)
    {
        try
        {
            var request = System.Text.Json.JsonSerializer.Deserialize<CreateSandboxRequest>(row.Spec, ServerJson.Options);
            var errors = new Airlock.Sandboxes.Validation.ValidationErrors();
            var policy = SandboxNetworkRules.Check(request?.Network, errors, "network");
            return errors.Any ? null : policy;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task ReconcileSnapshotsAsync(
        ISandboxRuntime runtime, string node, List<SandboxImage> images, bool allCreatesInterrupted, ReconcileReport.Builder report, CancellationToken ct)
    {
        var rows = await snapshots.ListOnNodeAsync(node, ct);
        var known = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var image in images)
        {
            if (image.Owner.Snapshot is { } snapshotId && !known.Contains(snapshotId))
            {
                try
                {
                    await runtime.RemoveImageAsync(image.Id, force: false, ct);
                    report.SnapshotsUndone.Add(snapshotId);
                }
                catch (EngineConflictException)
                {
                    // Still used by a container (made outside the API): left until that is gone.
                }
            }
        }

        foreach (var row in rows.Where(r => r.State == SnapshotState.Creating && !snapshotService.IsInFlight(r.Id)))
        {
            if (!allCreatesInterrupted && time.GetUtcNow() - row.CreatedAt < options.StaleCreateAfter)
            {
                continue;
            }

            await runtime.RemoveImageAsync(row.Image, force: true, ct);
            if (await snapshots.DeleteAsync(row.TenantId, row.Id, ct))
            {
                report.SnapshotsUndone.Add(row.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "reconciler: node {Node} is unreachable ({Reason}); its sandboxes are checked once it answers")]
    private static partial void LogNodeUnreachable(ILogger logger, string node, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "the egress proxy of allowlist sandbox {Id} could not be started again, so it reaches nothing: {Reason}")]
    private static partial void LogRehostFailed(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "the secrets of sandbox {Id} cannot be opened ({Reason}); its proxy runs without them: {HowToFix}")]
    private static partial void LogSecretsUnreadable(ILogger logger, string id, string reason, string howToFix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "reconciler: sandbox {Id} could not be checked: {Reason}")]
    private static partial void LogRowFailed(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "reconciler: removed {Orphans} orphan containers, adopted {Adopted} and undid {Undone} interrupted creates, finished {Deletes} deletes, {Exited} exited, {Lost} lost, removed {Snapshots} interrupted or orphan snapshots")]
    private static partial void LogPass(ILogger logger, int orphans, int adopted, int undone, int deletes, int exited, int lost, int snapshots);
}
