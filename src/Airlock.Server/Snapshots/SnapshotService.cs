using Airlock.Engine.Errors;
using Airlock.Sandboxes.Runtime;
using Airlock.Server.Errors;
using Airlock.Server.Nodes;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Snapshots;

/// <summary>
/// A tenant's snapshots: a sandbox's filesystem committed to an image on the sandbox's node, labelled with the tenant
/// and snapshot id. The row is written first (creating, counted against the tenant's limit), then the engine commits,
/// then the row is ready; a failed commit removes the image and the row again.
/// </summary>
public sealed partial class SnapshotService(
    SnapshotStore store,
    SandboxService sandboxes,
    SandboxStore sandboxStore,
    IEngineNodes nodes,
    ServerIdentity identity,
    ServerOptions options,
    TimeProvider time,
    ILogger<SnapshotService> logger)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Whether this server is committing the snapshot right now (the reconciler leaves it alone).</summary>
    public bool IsInFlight(string id) => _inFlight.ContainsKey(id);

    public async Task<SnapshotRecord> CreateAsync(string tenantId, string sandboxId, CreateSnapshotRequest request, CancellationToken ct)
    {
        if (request.Name is not { } name || !Names.IsValid(name))
        {
            throw ApiException.Invalid("the snapshot", [new("snapshot.name", request.Name is null
                ? "is missing; name the snapshot (lower-case letters, digits and '-')"
                : $"'{Names.Shorten(request.Name)}' is not a valid name: {Names.Rule}")]);
        }

        var sandbox = await sandboxes.GetAsync(tenantId, sandboxId, ct);
        if (sandbox.State is not (SandboxState.Running or SandboxState.Stopped or SandboxState.Exited) || sandbox.ContainerId is not { } containerId)
        {
            throw ApiException.Conflict($"sandbox {sandboxId} is {sandbox.State}; a snapshot needs it running, stopped or exited");
        }

        var id = SnapshotIds.New(time);
        _inFlight[id] = 0;
        try
        {
            return await CreateInFlightAsync(tenantId, id, name, sandbox, containerId, ct);
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
        }
    }

    private async Task<SnapshotRecord> CreateInFlightAsync(string tenantId, string id, string name, SandboxRecord sandbox, string containerId, CancellationToken ct)
    {
        var sandboxId = sandbox.Id;
        var record = await store.InsertCreatingAsync(id, tenantId, name, sandboxId, sandbox.Node, SnapshotIds.ImageFor(id), options.MaxSnapshotsPerTenant, ct);
        var owner = new SandboxOwner { Role = SandboxOwner.Roles.Server, Tenant = tenantId, Snapshot = id, Server = identity.Id, Node = sandbox.Node };

        // From here the work finishes or is undone even if the caller goes away: the row already exists.
        try
        {
            var runtime = await nodes.GetAsync(sandbox.Node, CancellationToken.None);
            await runtime.CommitAsync(
                containerId, SnapshotIds.Repository, id, owner, options.ExtraLabels, $"airlock snapshot {name} of sandbox {sandboxId}", CancellationToken.None);
            await store.SetReadyAsync(tenantId, id, CancellationToken.None);
            return record with { State = SnapshotState.Ready };
        }
        catch (Exception ex)
        {
            LogSnapshotFailed(logger, id, sandboxId, ex.Message);
            await UndoAsync(record);
            throw;
        }
    }

    private async Task UndoAsync(SnapshotRecord record)
    {
        try
        {
            var runtime = await nodes.GetAsync(record.Node, CancellationToken.None);
            await runtime.RemoveImageAsync(record.Image, force: true, CancellationToken.None);
            await store.DeleteAsync(record.TenantId, record.Id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is EngineException)
        {
            // The row stays as creating; the reconciler removes it and its image once the engine answers.
            LogUndoFailed(logger, record.Id, ex.Message);
        }
    }

    public async Task<SnapshotRecord> GetAsync(string tenantId, string id, CancellationToken ct) =>
        (SnapshotIds.IsValid(id) ? await store.GetAsync(tenantId, id, ct) : null)
        ?? throw ApiException.NotFound($"snapshot '{Names.Shorten(id)}' does not exist in tenant '{tenantId}'");

    /// <summary>Removes the image, then the row; 409 while a sandbox of the tenant runs from it.</summary>
    public async Task DeleteAsync(string tenantId, string id, CancellationToken ct)
    {
        var snapshot = await GetAsync(tenantId, id, ct);
        if (snapshot.State != SnapshotState.Ready)
        {
            throw ApiException.Conflict($"snapshot {id} is still being taken; delete it once it is ready");
        }

        if (await sandboxStore.AnyUsesImageAsync(tenantId, snapshot.Image, ct))
        {
            throw ApiException.Conflict($"snapshot {id} is in use by a sandbox made or restored from it; delete that sandbox (or restore it from another snapshot) first");
        }

        var runtime = await nodes.GetAsync(snapshot.Node, ct);
        await runtime.RemoveImageAsync(snapshot.Image, force: false, ct);
        await store.DeleteAsync(tenantId, id, CancellationToken.None);
    }

    public async Task<SandboxRecord> RestoreAsync(string tenantId, string sandboxId, RestoreRequest request, CancellationToken ct)
    {
        if (request.Snapshot is not { } snapshotId || !SnapshotIds.IsValid(snapshotId))
        {
            throw ApiException.Invalid("the restore request", [new("restore.snapshot", request.Snapshot is null
                ? "is missing; name the snapshot to restore (its id, from GET /v1/snapshots)"
                : $"'{Names.Shorten(request.Snapshot)}' is not a snapshot id (sn followed by 24 hex digits)")]);
        }

        await sandboxes.GetAsync(tenantId, sandboxId, ct);
        var snapshot = await GetAsync(tenantId, snapshotId, ct);
        if (snapshot.State != SnapshotState.Ready)
        {
            throw ApiException.Conflict($"snapshot {snapshotId} is still being taken");
        }

        return await sandboxes.RestoreAsync(tenantId, sandboxId, snapshot, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "snapshot {Id} of sandbox {Sandbox} failed, undoing it: {Reason}")]
    private static partial void LogSnapshotFailed(ILogger logger, string id, string sandbox, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not undo snapshot {Id} ({Reason}); the reconciler removes it once the engine answers")]
    private static partial void LogUndoFailed(ILogger logger, string id, string reason);
}
