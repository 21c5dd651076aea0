using Airlock.Engine;
using Airlock.Engine.Errors;
using Airlock.Engine.Identity;
using Airlock.Launcher.Conduit;
using Airlock.Launcher.HostServices;
using Airlock.Launcher.Locking;
using Airlock.Launcher.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;

namespace Airlock.Launcher.Launch;

/// <summary>
/// A created (not yet started) sandbox for one launch, with what it holds on the host: the project lock and the host
/// service relay. Disposing it removes the container and releases both, whatever happened in between.
/// </summary>
public sealed class LaunchSession : IAsyncDisposable
{
    private readonly EngineClient _engine;
    private readonly ProjectLock? _lock;
    private readonly HostServiceForwarder? _relay;
    private bool _processEnded;

    private LaunchSession(EngineClient engine, string containerId, LaunchPlan plan, ProjectLock? @lock, HostServiceForwarder? relay)
    {
        _engine = engine;
        ContainerId = containerId;
        Plan = plan;
        _lock = @lock;
        _relay = relay;
    }

    public string ContainerId { get; }

    public LaunchPlan Plan { get; }

    public static async Task<LaunchSession> CreateAsync(EngineClient engine, AirlockPaths paths, LaunchPlan plan, bool allowConcurrent, List<string> warnings, CancellationToken ct)
    {
        var project = plan.Spec.WorkingDirectory!;
        var @lock = allowConcurrent ? null : ProjectLock.Acquire(paths.LocksDir, project, $"session {plan.SessionName}", plan.SessionName);
        HostServiceForwarder? relay = null;
        string? id = null;
        try
        {
            if (@lock?.StaleSession is { } stale)
            {
                await RemoveOrphanAsync(engine, stale, project, warnings, ct);
            }

            foreach (var (path, content) in plan.HostFiles)
            {
                AtomicFile.Write(path, content, AtomicFile.OwnerOnly);
            }

            var services = await HostServicePlan.ForAsync(engine, plan.Spec.Network, ct);
            var labels = new Dictionary<string, string> { [SandboxLabels.Session] = plan.SessionName };
            var options = ContainerSpecMapper.ToCreateOptions(plan.Spec, plan.SessionName, labels, services.ExtraHosts) with
            {
                SeccompProfileDirectory = paths.SeccompDir,
            };
            if (services.NetworkMode is { } mode)
            {
                options = options with { NetworkMode = mode };
            }

            // No AutoRemove: the exit code is read (wait, inspect) after the process ends, and an engine that has already
            // auto-removed the container by then answers "no such container" (exit 137 or 1 instead of the command's code;
            // most launches got it wrong with a few running at once). DisposeAsync removes the container.
            id = await engine.Containers.CreateAsync(options, ct);
            if (services.RelayAddress is { } address)
            {
                relay = HostServiceForwarder.Start(address, services.Ports, warnings);
            }

            return new LaunchSession(engine, id, plan, @lock, relay);
        }
        catch
        {
            if (id is not null)
            {
                await engine.Containers.RemoveIfExistsAsync(id, CancellationToken.None);
            }

            if (relay is not null)
            {
                await relay.DisposeAsync();
            }

            @lock?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes the session a killed airlock left running in this project: nobody is attached to it any more, and it would
    /// break the one-sandbox-per-project rule the lock stands for. Only a launcher session of this very project is touched.
    /// </summary>
    private static async Task RemoveOrphanAsync(EngineClient engine, string session, string project, List<string> warnings, CancellationToken ct)
    {
        var orphan = await engine.Containers.TryInspectAsync(session, ct);
        var labels = orphan?.Config.Labels;
        if (orphan is null || labels?.GetValueOrDefault(SandboxLabels.Owner) != "launcher" || labels.GetValueOrDefault(SandboxLabels.Project) != project)
        {
            return;
        }

        await engine.Containers.RemoveIfExistsAsync(orphan.Id, ct);
        warnings.Add($"removed session {session}: the airlock that started it in {project} ended without cleaning up (killed or crashed)");
    }

    /// <summary>
    /// Records that the sandbox's process has ended and its exit code was read: the container is then only clean-up, so
    /// on podman <see cref="DisposeAsync"/> hands its removal to the engine instead of waiting for it (podman's takes
    /// ~200 ms, all of it after the person's command is over). Without this call, disposal waits until the container is gone.
    /// </summary>
    public void ProcessEnded() => _processEnded = true;

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Only podman's removal is worth not waiting for (~200 ms of network teardown). Docker's takes a few
            // milliseconds, and a removal sent while Docker is still handling the exit (~90 ms after it, when the exit
            // code is already readable) can fail: unanswered, it would leave the container behind (seen in the tests).
            if (_processEnded && _engine.Identity.Kind == EngineKind.Podman)
            {
                await RemoveDetachedAsync();
            }
            else
            {
                await _engine.Containers.RemoveIfExistsAsync(ContainerId, CancellationToken.None);
            }
        }
        finally
        {
            if (_relay is not null)
            {
                await _relay.DisposeAsync();
            }

            _lock?.Dispose();
        }
    }

    private async Task RemoveDetachedAsync()
    {
        try
        {
            await _engine.Containers.RemoveDetachedAsync(ContainerId, CancellationToken.None);
        }
        catch (EngineException)
        {
            // The request could not even be sent: fall back to removing and waiting, which reports a real problem.
            await _engine.Containers.RemoveIfExistsAsync(ContainerId, CancellationToken.None);
        }
    }
}
