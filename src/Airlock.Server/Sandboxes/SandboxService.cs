using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Egress;
using Airlock.Server.Errors;
using Airlock.Server.Images;
using Airlock.Server.Nodes;
using Airlock.Server.Observability;
using Airlock.Server.Secrets;
using Airlock.Server.Snapshots;
using Airlock.Server.Store;
using Airlock.Server.Templates;
using Airlock.Server.Tenants;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// A tenant's sandboxes on the engines. Every change is written to the store before the engine is asked, so nothing
/// acknowledged lives only in memory and a crash leaves a row saying what was under way: create writes the row
/// (state creating, quota reserved), then creates and starts the container, then marks it running; a failure removes
/// the container and the row and gives the quota back. An <c>open</c> sandbox joins a network guard made just before it;
/// an <c>allowlist</c> one reaches out only through the egress proxy this server hosts for it (<see cref="SandboxEgressHosts"/>),
/// which fills in the tenant secrets it was given (the sandbox holds placeholders; <see cref="TenantSecretService"/>).
/// </summary>
public sealed partial class SandboxService(
    SandboxStore store,
    SnapshotStore snapshots,
    TenantStore tenants,
    NodeIsolation isolation,
    ServerIdentity identity,
    IEngineNodes nodes,
    IPlacement placement,
    TemplateImages templates,
    ImagePolicy images,
    ServerOptions options,
    ServerMetrics metrics,
    SandboxEgressHosts egressHosts,
    EgressRecordWriter egressRecords,
    TenantSecretService secrets,
    TimeProvider time,
    ILogger<SandboxService> logger)
{
    /// <summary>The error of a sandbox whose container is gone.</summary>
    public const string LostMessage = "its container was removed outside Airlock or lost by the engine; delete the sandbox, or restore it from a snapshot";

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    private readonly TenantSlots _logStreams = new(
        ServerLimits.MaxLogStreamsPerTenant, "log streams", "close one (a followed log ends when its client leaves or the sandbox stops) and retry");

    // Placement reads each node's reservations and the insert adds to them: one at a time, so two creates in this
    // server never both take a node's last room.
    private readonly SemaphoreSlim _placing = new(1, 1);

    /// <summary>Whether this server is creating or restoring the sandbox right now (the reconciler leaves such rows alone).</summary>
    public bool IsInFlight(string id) => _inFlight.ContainsKey(id) || _stopping.ContainsKey(id);

    // Sandboxes a stop (the API's, or a lifetime's) is under way for: until it has written the stopped state, the engine
    // already shows the process gone, and neither an observation (exited) nor a start may slip in between.
    private readonly ConcurrentDictionary<string, byte> _stopping = new(StringComparer.Ordinal);

    public async Task<SandboxRecord> CreateAsync(string tenantId, CreateSandboxRequest request, CancellationToken ct)
    {
        var snapshot = await ResolveSnapshotAsync(tenantId, request, ct);
        var templateProblem = request.Template is { } name && request.Image is null && request.Snapshot is null ? templates.Problem(name) : null;
        using var template = request.Template is not null && request.Image is null && request.Snapshot is null && templateProblem is null
            ? await templates.ResolveAsync(request.Template, ct)
            : null;
        var imageProblem = request.Image is { } image && request.Snapshot is null && request.Template is null
            ? await images.ProblemAsync(tenantId, image, ct)
            : null;
        var tenant = await tenants.GetAsync(tenantId, ct);
        var tenantSecrets = request.Secrets is { Count: > 0 } names
            ? await secrets.FindAsync(tenantId, names.Where(n => n is not null && SecretRules.NameProblem(n) is null).Distinct(StringComparer.Ordinal).ToList(), ct)
            : new Dictionary<string, SealedTenantSecret>();
        var plan = SandboxRequestValidator.Validate(
            request, snapshotImage: snapshot?.Image, templateImage: template?.Image, templateProblem: templateProblem, imageProblem: imageProblem,
            isolation: tenant?.Isolation ?? TenantIsolation.Open, ceiling: tenant?.Egress ?? TenantEgress.Default, tenantSecrets: tenantSecrets);
        var id = SandboxIds.New(time);
        _inFlight[id] = 0;
        try
        {
            var requiredNode = snapshot?.Node;
            if (template is not null)
            {
                // Built before the row is written: a slow build holds no creating row and no reservation, and a failed
                // one leaves nothing to undo. The sandbox then must go to the node that has the image.
                await store.CheckQuotaAsync(tenantId, plan.CpuMillis, plan.MemoryBytes, ct);
                requiredNode = await PlaceAsync(new PlacementRequest(tenantId, plan.CpuMillis, plan.MemoryBytes, null, request.AntiAffinity == true, NeedsLocalNode(plan)), ct);
                await templates.EnsureImageAsync(template, requiredNode, await nodes.GetAsync(requiredNode, ct), ct);
            }

            return await CreateInFlightAsync(tenantId, id, request, plan, [.. plan.Secrets.Select(n => tenantSecrets[n])], requiredNode, ct);
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
        }
    }

    /// <summary>An allowlist sandbox gets the server's proxy socket mounted: only a node on this machine can do that.</summary>
    private static bool NeedsLocalNode(SandboxPlan plan) => plan.Egress.Mode == EgressMode.Allowlist;

    private async Task<SnapshotRecord?> ResolveSnapshotAsync(string tenantId, CreateSandboxRequest request, CancellationToken ct)
    {
        if (request.Snapshot is not { } snapshotId || !SnapshotIds.IsValid(snapshotId))
        {
            return null;
        }

        return await snapshots.GetAsync(tenantId, snapshotId, ct) is { State: SnapshotState.Ready } found
            ? found
            : throw ApiException.NotFound($"sandbox.snapshot: snapshot '{snapshotId}' does not exist in tenant '{tenantId}'; list them with GET /v1/snapshots");
    }

    private async Task<string> PlaceAsync(PlacementRequest request, CancellationToken ct)
    {
        await _placing.WaitAsync(ct);
        try
        {
            return await placement.PlaceAsync(request, ct);
        }
        finally
        {
            _placing.Release();
        }
    }

    private async Task<SandboxRecord> CreateInFlightAsync(
        string tenantId, string id, CreateSandboxRequest request, SandboxPlan plan, IReadOnlyList<SealedTenantSecret> bound, string? requiredNode, CancellationToken ct)
    {
        // Placeholders and the sandbox's authority are made before the row, and stored with it: a restarted server hosts
        // the proxy again with the same ones, which the running sandbox holds and trusts.
        SandboxSecrets? live = null;
        SealedSandboxSecrets? stored = null;
        if (bound.Count > 0)
        {
            (live, stored) = secrets.Prepare(tenantId, id, bound);
        }

        try
        {
            return await CreateWithSecretsAsync(tenantId, id, request, plan, live, stored, requiredNode, ct);
        }
        catch when (live is not null && !egressHosts.IsHosting(id))
        {
            // Not handed to a proxy (or its proxy went with the rollback, which disposed it: twice does no harm).
            live.Hosted.Authority.Dispose();
            throw;
        }
    }

    private async Task<SandboxRecord> CreateWithSecretsAsync(
        string tenantId, string id, CreateSandboxRequest request, SandboxPlan plan, SandboxSecrets? live, SealedSandboxSecrets? stored, string? requiredNode, CancellationToken ct)
    {
        // Stored with the level it was given (asked for, or the tenant's default then), so a restore keeps it.
        var specJson = JsonSerializer.Serialize(
            request with { Isolation = IsolationLevels.Name(plan.Spec.Isolation), Network = SandboxNetworkRules.ToRequest(plan.Egress) }, ServerJson.Options);
        string node;
        SandboxRecord record;
        await _placing.WaitAsync(ct);
        try
        {
            node = await placement.PlaceAsync(new PlacementRequest(tenantId, plan.CpuMillis, plan.MemoryBytes, requiredNode, request.AntiAffinity == true, NeedsLocalNode(plan)), ct);
            record = await store.InsertCreatingAsync(id, tenantId, plan.Name, plan.Spec.Image, specJson, node, plan.CpuMillis, plan.MemoryBytes, plan.Labels, stored, plan.Lifetime, ct);
        }
        finally
        {
            _placing.Release();
        }

        // From here the work finishes or is undone even if the caller goes away: the row already exists.
        try
        {
            var containerId = await CreateContainerAsync(tenantId, id, node, plan, live);
            if (!await store.SetStateAsync(tenantId, id, SandboxState.Running, [SandboxState.Creating], containerId, ct: CancellationToken.None))
            {
                throw ApiException.Conflict($"sandbox {id} was deleted while it was being created");
            }

            metrics.SandboxCreated();
            return record with { State = SandboxState.Running, ContainerId = containerId, UpdatedAt = time.GetUtcNow() };
        }
        catch (Exception ex)
        {
            metrics.SandboxCreateFailed();
            await RollBackCreateAsync(tenantId, id, node, record.ContainerName, ex);
            throw;
        }
    }

    /// <summary>
    /// Makes and starts the sandbox's container. <paramref name="sandboxSecrets"/> (an allowlist sandbox's) put their
    /// placeholders in its environment and go to its proxy.
    /// </summary>
    private async Task<string> CreateContainerAsync(string tenantId, string id, string node, SandboxPlan plan, SandboxSecrets? sandboxSecrets)
    {
        var runtime = await nodes.GetAsync(node, CancellationToken.None);
        await isolation.EnsureAsync(node, runtime, plan.Spec.Isolation, $"{Root}.isolation", CancellationToken.None);

        // The image is checked on the node it will run on, then named by its id: what was checked is what runs.
        var image = await ImagePolicy.VerifyAsync(runtime, node, tenantId, plan.Source, Root, CancellationToken.None);
        if (ImagePolicy.LacksCommand(image, plan.Spec.Command))
        {
            throw ApiException.Invalid("the sandbox", [new ValidationError($"{Root}.command",
                $"is missing, and the image ({plan.Source.Name ?? plan.Source.Reference}) has no command of its own (no CMD or ENTRYPOINT); give one, e.g. [\"sleep\", \"infinity\"]")]);
        }

        // The server's own marks (the test suites' run labels) go with the tenant's, winning a clash as before.
        var labels = new Dictionary<string, string>(plan.Spec.Labels);
        foreach (var (key, value) in options.ExtraLabels)
        {
            labels[key] = value;
        }

        var owner = new SandboxOwner { Role = SandboxOwner.Roles.Server, Tenant = tenantId, SandboxId = id, Node = node, Server = identity.Id };
        var environment = plan.Spec.Environment;
        if (sandboxSecrets is not null)
        {
            environment = environment.Concat(sandboxSecrets.Variables).ToDictionary(StringComparer.Ordinal);
        }

        var create = new SandboxCreate
        {
            Spec = plan.Spec with { Image = image.Id, Labels = labels, Environment = environment },
            Name = SandboxRecord.ContainerNameFor(id),
            Owner = owner,
        };
        switch (plan.Egress.Mode)
        {
            case EgressMode.Open:
                var hostAddresses = nodes.IsLocal(node) ? HostAddresses.Current() : [];
                create = create with
                {
                    JoinNetworkOf = await SandboxGuard.CreateAsync(runtime, options.BaseImage, owner, options.ExtraLabels, hostAddresses, SandboxSubnetsAsync, CancellationToken.None),
                };
                break;
            case EgressMode.Allowlist:
                create = create with { Egress = egressHosts.Host(tenantId, id, plan.Egress, sandboxSecrets?.Hosted) };
                break;
        }

        try
        {
            var containerId = await runtime.CreateAsync(create, CancellationToken.None);
            await runtime.StartAsync(containerId, CancellationToken.None);
            return containerId;
        }
        catch (Airlock.Engine.Errors.EngineException ex) when (EngineRefusals.ForSandbox(ex, Root) is { } refused)
        {
            throw refused;
        }
    }

    /// <summary>
    /// The subnets of every node this server reaches: an open sandbox must not reach another's, on its own engine's
    /// networks or on another engine of the same machine. A node that does not answer is left out.
    /// </summary>
    private async Task<IReadOnlyList<IPNetwork>> SandboxSubnetsAsync()
    {
        var subnets = new List<IPNetwork>();
        foreach (var name in nodes.Names)
        {
            try
            {
                subnets.AddRange(await (await nodes.GetAsync(name, CancellationToken.None)).ListSubnetsAsync(CancellationToken.None));
            }
            catch (Airlock.Engine.Errors.EngineUnreachableException)
            {
                // Not known now: left out rather than failing every open create while one node is down (a gap until
                // the guard is made again, on restore).
            }
        }

        return subnets.Distinct().ToList();
    }

    /// <summary>
    /// Removes what a sandbox's network needed besides its container, once the container is gone: its guard (open) and
    /// its egress proxy (allowlist), whose records are written before this returns. Whatever the mode: a sandbox
    /// restored or cut off half-way may have either.
    /// </summary>
    public async Task RemoveNetworkAsync(ISandboxRuntime runtime, string id)
    {
        await SandboxGuard.RemoveAsync(runtime, id);
        await egressHosts.RemoveAsync(id);
        await egressRecords.FlushAsync(CancellationToken.None);
    }

    /// <summary>The root of the paths a create's errors name.</summary>
    private const string Root = "sandbox";

    /// <summary>
    /// Recreates the sandbox's container from a snapshot, keeping its id, name, spec and reservation. The row says
    /// <c>restoring</c> while the old container is replaced; when that fails half-way the sandbox is <c>lost</c> (its
    /// container is gone) and can be restored again or deleted.
    /// </summary>
    public async Task<SandboxRecord> RestoreAsync(string tenantId, string id, SnapshotRecord snapshot, CancellationToken ct)
    {
        var sandbox = await GetAsync(tenantId, id, ct);
        if (sandbox.Node != snapshot.Node)
        {
            throw ApiException.Conflict($"snapshot {snapshot.Id} is on node '{snapshot.Node}' and sandbox {id} on '{sandbox.Node}'; images stay on their node, so create a new sandbox from the snapshot instead");
        }

        var request = JsonSerializer.Deserialize<CreateSandboxRequest>(sandbox.Spec, ServerJson.Options)
            ?? throw new InvalidOperationException($"sandbox {id} has no stored spec");
        // The sandbox keeps its level (stored with it); a level the tenant may no longer use is refused, not run again.
        // Its network too, checked against the tenant's ceiling of now.
        var tenant = await tenants.GetAsync(tenantId, ct);
        var plan = SandboxRequestValidator.Validate(
            request with { Image = null, Template = null, Snapshot = snapshot.Id }, snapshotImage: snapshot.Image,
            isolation: tenant?.Isolation ?? TenantIsolation.Open, ceiling: tenant?.Egress ?? TenantEgress.Default);
        _inFlight[id] = 0;
        try
        {
            string[] from = [SandboxState.Running, SandboxState.Stopped, SandboxState.Exited, SandboxState.Lost];
            if (!await store.BeginRestoreAsync(tenantId, id, snapshot.Image, from, ct))
            {
                throw ApiException.Conflict($"sandbox {id} is {sandbox.State}; restore needs it {string.Join(", ", from)}");
            }

            try
            {
                var runtime = await nodes.GetAsync(sandbox.Node, CancellationToken.None);
                await runtime.RemoveAsync(sandbox.ContainerId ?? sandbox.ContainerName, RemoveMode.Wait, CancellationToken.None);
                await runtime.RemoveAsync(sandbox.ContainerName, RemoveMode.Wait, CancellationToken.None);
                // A new guard for the new container; the proxy (allowlist) stays, keeping its socket where the new one mounts it.
                await SandboxGuard.RemoveAsync(runtime, id);
                // The sandbox keeps its secrets (the placeholders and authority stored with it), with their values of now.
                var containerId = await CreateContainerAsync(tenantId, id, sandbox.Node, plan, await secrets.LoadAsync(tenantId, id, CancellationToken.None));
                await store.SetStateAsync(tenantId, id, SandboxState.Running, [SandboxState.Restoring], containerId, ct: CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogRestoreFailed(logger, id, ex.Message);
                await store.SetStateAsync(tenantId, id, SandboxState.Lost, [SandboxState.Restoring], error: $"restore from {snapshot.Id} failed: {Describe(ex)}; restore again or delete the sandbox", ct: CancellationToken.None);
                throw;
            }
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
        }

        return await GetAsync(tenantId, id, ct);
    }

    /// <summary>Undoes a create: the container (if any) then the row. When the engine cannot confirm the container is gone, the row stays as failed for the reconciler.</summary>
    private async Task RollBackCreateAsync(string tenantId, string id, string node, string containerName, Exception cause)
    {
        LogCreateFailed(logger, id, tenantId, cause.Message);
        try
        {
            var runtime = await nodes.GetAsync(node, CancellationToken.None);
            await runtime.RemoveAsync(containerName, RemoveMode.Wait, CancellationToken.None);
            await RemoveNetworkAsync(runtime, id);
        }
        catch (Exception ex)
        {
            LogRollbackFailed(logger, id, ex.Message);
            await store.SetStateAsync(tenantId, id, SandboxState.Failed, error: Describe(cause), ct: CancellationToken.None);
            return;
        }

        await store.DeleteAsync(tenantId, id, CancellationToken.None);
    }

    private static string Describe(Exception ex) => ex is ApiException api ? api.Message : ex.Message;

    public async Task<SandboxRecord> GetAsync(string tenantId, string id, CancellationToken ct) =>
        (SandboxIds.IsValid(id) ? await store.GetAsync(tenantId, id, ct) : null)
        ?? throw ApiException.NotFound($"sandbox '{Names.Shorten(id)}' does not exist in tenant '{tenantId}'");

    /// <summary>
    /// The sandbox as the engine sees it now: a sandbox the store says is running but whose process has ended is
    /// recorded as exited, with its exit code. When the engine does not answer, the stored state is returned.
    /// </summary>
    public async Task<SandboxRecord> ObserveAsync(string tenantId, string id, CancellationToken ct)
    {
        var sandbox = await GetAsync(tenantId, id, ct);
        if (sandbox.State != SandboxState.Running || sandbox.ContainerId is null || _stopping.ContainsKey(id))
        {
            return sandbox;
        }

        SandboxInfo? details;
        try
        {
            var runtime = await nodes.GetAsync(sandbox.Node, ct);
            details = await runtime.TryInspectAsync(sandbox.ContainerId, ct);
        }
        catch (Exception ex) when (ex is Airlock.Engine.Errors.EngineException or ApiException)
        {
            return sandbox;
        }

        if (details is { Running: true })
        {
            return sandbox;
        }

        // Gone from the engine entirely is lost, not failed (failed is for creates that did not finish, which the
        // reconciler removes), so the caller sees it and can delete or restore it.
        await SandboxEnding.RecordAsync(store, tenantId, id, details, ct);
        return await GetAsync(tenantId, id, ct);
    }

    public Task<SandboxRecord> StopAsync(string tenantId, string id, CancellationToken ct) => StopAsync(tenantId, id, endedBy: null, ct);

    /// <param name="endedBy">Why its lifetime ended it: recorded as its error, and its timeout cleared, in the same write as the state.</param>
    private async Task<SandboxRecord> StopAsync(string tenantId, string id, string? endedBy, CancellationToken ct)
    {
        if (!_stopping.TryAdd(id, 0))
        {
            throw ApiException.Conflict($"sandbox {id} is being stopped already; it is stopped in a moment");
        }

        try
        {
            return await StopOnceAsync(tenantId, id, endedBy, ct);
        }
        finally
        {
            _stopping.TryRemove(id, out _);
        }
    }

    private async Task<SandboxRecord> StopOnceAsync(string tenantId, string id, string? endedBy, CancellationToken ct)
    {
        var sandbox = await GetAsync(tenantId, id, ct);
        if (sandbox.State is SandboxState.Stopped or SandboxState.Exited)
        {
            return sandbox;
        }

        var containerId = RequireContainer(sandbox, SandboxState.Running, SandboxState.Paused);
        var runtime = await nodes.GetAsync(sandbox.Node, ct);
        if (sandbox.State == SandboxState.Paused)
        {
            // A frozen process cannot take its SIGTERM: thawed first, it gets the same grace as any other.
            await runtime.ResumeAsync(containerId, ct);
        }

        await runtime.StopAsync(containerId, TimeSpan.FromSeconds(10), ct);
        var details = await runtime.TryInspectAsync(containerId, ct);
        await store.SetStateAsync(
            tenantId, id, SandboxState.Stopped, [SandboxState.Running, SandboxState.Exited, SandboxState.Paused], exitCode: details?.ExitCode, error: endedBy, ct: ct, clearExpiry: endedBy is not null);
        return await GetAsync(tenantId, id, ct);
    }

    public async Task<SandboxRecord> StartAsync(string tenantId, string id, CancellationToken ct)
    {
        var sandbox = await GetAsync(tenantId, id, ct);
        if (sandbox.State == SandboxState.Running)
        {
            return sandbox;
        }

        if (_stopping.ContainsKey(id))
        {
            throw ApiException.Conflict($"sandbox {id} is being stopped; start it once it is stopped");
        }

        var containerId = RequireContainer(sandbox, SandboxState.Stopped, SandboxState.Exited);
        var runtime = await nodes.GetAsync(sandbox.Node, ct);
        try
        {
            await runtime.StartAsync(containerId, ct);
        }
        catch (Airlock.Engine.Errors.EngineException ex) when (EngineRefusals.ForSandbox(ex, Root) is { } refused)
        {
            throw refused;
        }

        await store.SetStateAsync(tenantId, id, SandboxState.Running, [SandboxState.Stopped, SandboxState.Exited], ct: ct);
        await store.TouchAsync(tenantId, id, ct);
        return await GetAsync(tenantId, id, ct);
    }

    /// <summary>Marks the row deleting, removes the container, then the row (releasing the quota).</summary>
    public async Task DeleteAsync(string tenantId, string id, CancellationToken ct)
    {
        var sandbox = await GetAsync(tenantId, id, ct);
        if (sandbox.State == SandboxState.Creating)
        {
            throw ApiException.Conflict($"sandbox {id} is still being created; delete it once it is running or failed");
        }

        await store.SetStateAsync(tenantId, id, SandboxState.Deleting, ct: ct);
        var runtime = await nodes.GetAsync(sandbox.Node, CancellationToken.None);
        await runtime.RemoveAsync(sandbox.ContainerId ?? sandbox.ContainerName, RemoveMode.Wait, CancellationToken.None);
        await RemoveNetworkAsync(runtime, id);
        await store.DeleteAsync(tenantId, id, CancellationToken.None);
        metrics.SandboxDeleted();
    }

    /// <summary>
    /// The sandbox's output; <paramref name="tail"/> must be within <see cref="ServerLimits.MaxLogTail"/> (checked by the
    /// caller, before anything is read). The stream holds one of the tenant's log slots until it ends.
    /// </summary>
    public async IAsyncEnumerable<OutputChunk> LogsAsync(string tenantId, string id, bool follow, int? tail, [EnumeratorCancellation] CancellationToken ct)
    {
        if (tail is < 0 or > ServerLimits.MaxLogTail)
        {
            throw new ArgumentOutOfRangeException(nameof(tail), tail, $"at most {ServerLimits.MaxLogTail}");
        }

        var sandbox = await GetAsync(tenantId, id, ct);
        var containerId = RequireContainer(sandbox, SandboxState.Running, SandboxState.Paused, SandboxState.Stopped, SandboxState.Exited, SandboxState.Failed, SandboxState.Lost);
        using var slot = _logStreams.Enter(tenantId);
        await store.TouchAsync(tenantId, id, ct);
        var runtime = await nodes.GetAsync(sandbox.Node, ct);
        await foreach (var chunk in runtime.LogsAsync(containerId, follow, tail, ct))
        {
            yield return chunk;
        }
    }

    /// <summary>The sandbox's container id when it is in one of <paramref name="states"/>; 409 otherwise.</summary>
    public static string RequireContainer(SandboxRecord sandbox, params string[] states)
    {
        if (!states.Contains(sandbox.State) || sandbox.ContainerId is null)
        {
            throw ApiException.Conflict($"sandbox {sandbox.Id} is {sandbox.State}; this needs it {string.Join(" or ", states)}");
        }

        return sandbox.ContainerId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "create of sandbox {Id} in tenant {Tenant} failed, rolling back: {Reason}")]
    private static partial void LogCreateFailed(ILogger logger, string id, string tenant, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "restore of sandbox {Id} failed, it is lost until restored again or deleted: {Reason}")]
    private static partial void LogRestoreFailed(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "rollback of sandbox {Id} could not remove its container ({Reason}); the row is kept as failed for the reconciler")]
    private static partial void LogRollbackFailed(ILogger logger, string id, string reason);
}
