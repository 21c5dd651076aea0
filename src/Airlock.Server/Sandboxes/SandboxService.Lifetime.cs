using Airlock.Server.Errors;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Sandboxes;

/// <summary>Pause and resume, and a sandbox's lifetime: extended by the API, ended by <see cref="Reconciliation.LifetimeService"/>.</summary>
public sealed partial class SandboxService
{
    /// <summary>Freezes a running sandbox (the engine's freezer): its memory is kept, it holds its quota, nothing in it runs.</summary>
    public async Task<SandboxRecord> PauseAsync(string tenantId, string id, CancellationToken ct)
    {
        var sandbox = await GetAsync(tenantId, id, ct);
        if (sandbox.State == SandboxState.Paused)
        {
            return sandbox;
        }

        var containerId = RequireContainer(sandbox, SandboxState.Running);
        var runtime = await nodes.GetAsync(sandbox.Node, ct);
        await runtime.PauseAsync(containerId, ct);
        await store.SetStateAsync(tenantId, id, SandboxState.Paused, [SandboxState.Running], ct: ct);
        return await GetAsync(tenantId, id, ct);
    }

    /// <summary>Thaws a paused sandbox where it was; it counts as used now (for its idle timeout).</summary>
    public async Task<SandboxRecord> ResumeAsync(string tenantId, string id, CancellationToken ct)
    {
        var sandbox = await GetAsync(tenantId, id, ct);
        if (sandbox.State == SandboxState.Running)
        {
            return sandbox;
        }

        var containerId = RequireContainer(sandbox, SandboxState.Paused);
        var runtime = await nodes.GetAsync(sandbox.Node, ct);
        await runtime.ResumeAsync(containerId, ct);
        await store.SetStateAsync(tenantId, id, SandboxState.Running, [SandboxState.Paused], ct: ct);
        await store.TouchAsync(tenantId, id, ct);
        return await GetAsync(tenantId, id, ct);
    }

    /// <summary>Ends the sandbox <paramref name="timeoutSeconds"/> from now (a sandbox without a lifetime gets one that stops it).</summary>
    public async Task<SandboxRecord> SetTimeoutAsync(string tenantId, string id, int? timeoutSeconds, CancellationToken ct)
    {
        var errors = new Airlock.Sandboxes.Validation.ValidationErrors();
        if (timeoutSeconds is null)
        {
            errors.Add("timeout.timeoutSeconds", $"is required: the seconds from now until the sandbox ends (1 to {SandboxLifetime.MaxSeconds})");
        }

        SandboxRequestValidator.CheckSeconds(errors, "timeout.timeoutSeconds", timeoutSeconds);
        errors.ThrowIfAny("timeout");
        var sandbox = await GetAsync(tenantId, id, ct);
        RequireContainer(sandbox, SandboxState.Running, SandboxState.Paused);
        await store.SetExpiryAsync(tenantId, id, time.GetUtcNow().AddSeconds(timeoutSeconds!.Value), ct);
        return await GetAsync(tenantId, id, ct);
    }

    /// <summary>
    /// Records that the tenant used <paramref name="sandbox"/> through the API now (exec, terminal, files). The record
    /// just read says whether a write is due (<see cref="SandboxLifetime.WantsTouch"/>), so an exec in any other sandbox
    /// costs no database round trip for it.
    /// </summary>
    public Task TouchAsync(SandboxRecord sandbox, CancellationToken ct) =>
        sandbox.Lifetime?.WantsTouch(time.GetUtcNow()) == true ? store.TouchAsync(sandbox.TenantId, sandbox.Id, ct) : Task.CompletedTask;

    /// <summary>Ends a sandbox whose lifetime is over, as its lifetime says: stopped or deleted. A sandbox changed meanwhile is left alone.</summary>
    public async Task EndAsync(SandboxRecord due, string reason, CancellationToken ct)
    {
        if (due.Lifetime is not { } lifetime || IsInFlight(due.Id))
        {
            return;
        }

        LogEnding(logger, due.Id, due.TenantId, lifetime.OnTimeout, reason);
        if (lifetime.OnTimeout == SandboxLifetime.Delete)
        {
            await DeleteAsync(due.TenantId, due.Id, ct);
            return;
        }

        await StopAsync(due.TenantId, due.Id, $"stopped: {reason}", ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {Id} of tenant {Tenant} ends ({Ending}): {Reason}")]
    private static partial void LogEnding(ILogger logger, string id, string tenant, string ending, string reason);
}
