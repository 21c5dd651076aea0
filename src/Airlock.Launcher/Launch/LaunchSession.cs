using Airlock.Engine;
using Airlock.Engine.Errors;
using Airlock.Engine.Identity;
using Airlock.Launcher.Conduit;
using Airlock.Launcher.HostServices;
using Airlock.Launcher.Locking;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;

namespace Airlock.Launcher.Launch;

/// <summary>
/// A created (not yet started) sandbox for one launch, with what it holds on the host: the project lock, the network
/// guard whose network namespace the sandbox joins, and the guard's host-port relay. Disposing it removes the container
/// and the guard and releases the rest, whatever happened in between.
/// </summary>
public sealed class LaunchSession : IAsyncDisposable
{
    private readonly EngineClient _engine;
    private readonly ProjectLock? _lock;
    private readonly SessionGuard? _guard;
    private bool _processEnded;

    private LaunchSession(EngineClient engine, string containerId, LaunchPlan plan, ProjectLock? @lock, SessionGuard? guard)
    {
        _engine = engine;
        ContainerId = containerId;
        Plan = plan;
        _lock = @lock;
        _guard = guard;
    }

    public string ContainerId { get; }

    public LaunchPlan Plan { get; }

    /// <summary>
    /// Creates the sandbox and, unless it has no network, its guard: the guard is created first (the sandbox names it),
    /// then armed while the sandbox is created, so the guard costs little more than one container start.
    /// <paramref name="guardBaseImage"/> is what the guard's image is built from when the engine lacks it (once; <paramref name="notice"/> says so).
    /// </summary>
    public static async Task<LaunchSession> CreateAsync(
        EngineClient engine, AirlockPaths paths, LaunchPlan plan, bool allowConcurrent, string guardBaseImage, Action<string> notice, List<string> warnings, CancellationToken ct)
    {
        var project = plan.Spec.WorkingDirectory!;
        var @lock = allowConcurrent ? null : ProjectLock.Acquire(paths.LocksDir, project, $"session {plan.SessionName}", plan.SessionName);
        SessionGuard? guard = null;
        string? id = null;
        try
        {
            if (@lock?.StaleSession is { } stale)
            {
                await RemoveOrphanAsync(engine, stale, project, warnings, ct);
            }

            foreach (var (path, content) in plan.HostFiles)
            {
                // In Airlock's own state directory, which no sandbox mounts; written the one way files are replaced.
                var dir = Directory.CreateDirectory(Path.GetDirectoryName(path)!).FullName;
                new ConfinedDirectory(dir).WriteText(Path.GetFileName(path), content, UnixFileMode.UserRead | UnixFileMode.UserWrite, keepExistingMode: false);
            }

            var services = await HostServicePlan.ForAsync(engine, plan.Spec.Network, ct);
            var labels = new Dictionary<string, string> { [SandboxLabels.Session] = plan.SessionName };
            var options = ContainerSpecMapper.ToCreateOptions(plan.Spec, plan.SessionName, labels, services.ExtraHosts) with
            {
                SeccompProfileDirectory = paths.SeccompDir,
            };

            // No AutoRemove: the exit code is read (wait, inspect) after the process ends, and an engine that has already
            // auto-removed the container by then answers "no such container" (exit 137 or 1 instead of the command's code;
            // most launches got it wrong with a few running at once). DisposeAsync removes the container.
            // Creates are not cancelled half-way (each takes a few tens of ms): an engine finishes a create whose client
            // went away, and a container whose id airlock never learnt would be left behind, or, joined to its guard,
            // would keep the guard from being removed (podman 4.3 then leaves the guard stuck in "Removing").
            if (services.NetworkMode == "none")
            {
                id = await engine.Containers.CreateAsync(options, CancellationToken.None);
                ct.ThrowIfCancellationRequested();
                return new LaunchSession(engine, id, plan, @lock, null);
            }

            var subnets = engine.Networks.ListSubnetsAsync(ct);
            var image = await GuardImage.EnsureAsync(engine, guardBaseImage, () => notice($"building the network guard image from {guardBaseImage} (once per engine)"), ct);
            guard = await SessionGuard.CreateAsync(engine, image, plan, services, options, CancellationToken.None);
            var armed = guard.ArmAsync(services, subnets, ct);
            var created = engine.Containers.CreateAsync(NetworkGuard.Join(options, guard.Id, engine.Identity.Kind), CancellationToken.None);
            try
            {
                await armed;
            }
            finally
            {
                // Whatever became of the guard, the sandbox's create is awaited so that a created one is removed below.
                try
                {
                    id = await created;
                }
                catch when (!armed.IsCompletedSuccessfully)
                {
                    // The guard's failure is the one reported.
                }
            }

            ct.ThrowIfCancellationRequested();
            return new LaunchSession(engine, id!, plan, @lock, guard);
        }
        catch
        {
            if (id is not null)
            {
                await engine.Containers.RemoveIfExistsAsync(id, CancellationToken.None);
            }

            if (guard is not null)
            {
                await guard.RemoveAsync(detached: false);
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
        var guard = await engine.Containers.TryInspectAsync(NetworkGuard.NameFor(session), ct);
        if (guard?.Config.Labels?.GetValueOrDefault(SandboxLabels.Owner) == SessionGuard.Owner && guard.Config.Labels.GetValueOrDefault(NetworkGuard.GuardsLabel) == session)
        {
            await engine.Containers.RemoveIfExistsAsync(guard.Id, ct);
        }

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
            // With a guard, the sandbox owns no network (cheap to remove) but must be gone before the guard is: the guard
            // then takes podman's teardown, detached.
            var detached = _processEnded && _engine.Identity.Kind == EngineKind.Podman;
            if (detached && _guard is null)
            {
                await RemoveDetachedAsync();
            }
            else
            {
                await _engine.Containers.RemoveIfExistsAsync(ContainerId, CancellationToken.None);
            }

            if (_guard is not null)
            {
                await _guard.RemoveAsync(detached);
            }
        }
        finally
        {
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
