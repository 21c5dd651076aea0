using Airlock.Sandboxes.Specs;
using Airlock.Engine.Discovery;
using Airlock.Launcher.Conduit;
using Airlock.Launcher.HostServices;
using Airlock.Launcher.Locking;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Launch;

/// <summary>
/// A created (not yet started) sandbox for one launch, with what it holds on the host: the project lock, the network
/// guard whose network namespace the sandbox joins, and the guard's host-port relay. Disposing it removes the container
/// and the guard and releases the rest, whatever happened in between.
/// </summary>
public sealed class LaunchSession : IAsyncDisposable
{
    private readonly ISandboxRuntime _runtime;
    private readonly ProjectLock? _lock;
    private readonly SessionGuard? _guard;
    private readonly SessionEgress? _egress;
    private bool _processEnded;

    private LaunchSession(ISandboxRuntime runtime, string containerId, LaunchPlan plan, ProjectLock? @lock, SessionGuard? guard, SessionEgress? egress)
    {
        _runtime = runtime;
        ContainerId = containerId;
        Plan = plan;
        _lock = @lock;
        _guard = guard;
        _egress = egress;
    }

    public string ContainerId { get; }

    public LaunchPlan Plan { get; }

    /// <summary>
    /// Creates the sandbox and, unless it has no network, its guard: the guard is created first (the sandbox names it),
    /// then armed while the sandbox is created, so the guard costs little more than one container start.
    /// <paramref name="guardBaseImage"/> is what the guard's image is built from when the engine lacks it (once; <paramref name="notice"/> says so).
    /// </summary>
    public static async Task<LaunchSession> CreateAsync(
        ISandboxRuntime runtime, AirlockPaths paths, LaunchPlan plan, bool allowConcurrent, string guardBaseImage, Action<string> notice, List<string> warnings, CancellationToken ct)
    {
        var project = plan.Spec.WorkingDirectory!;
        var @lock = allowConcurrent ? null : ProjectLock.Acquire(paths.LocksDir, project, $"session {plan.SessionName}", plan.SessionName);
        SessionGuard? guard = null;
        SessionEgress? egress = null;
        string? id = null;
        try
        {
            if (@lock?.StaleSession is { } stale)
            {
                await RemoveOrphanAsync(runtime, stale, project, warnings, ct);
            }

            foreach (var (path, content) in plan.HostFiles)
            {
                // In Airlock's own state directory, which no sandbox mounts; written the one way files are replaced.
                var dir = Directory.CreateDirectory(Path.GetDirectoryName(path)!).FullName;
                new ConfinedDirectory(dir).WriteText(Path.GetFileName(path), content, UnixFileMode.UserRead | UnixFileMode.UserWrite, keepExistingMode: false);
            }

            var services = await HostServicePlan.ForAsync(runtime, plan.Spec.Network, ct);
            var create = new SandboxCreate
            {
                Spec = plan.Spec,
                Name = plan.SessionName,
                Owner = plan.Owner,
                ExtraHosts = services.ExtraHosts,
                SeccompProfileDirectory = paths.SeccompDir,
            };

            // No AutoRemove: the exit code is read (wait, inspect) after the process ends, and an engine that has already
            // auto-removed the container by then answers "no such container" (exit 137 or 1 instead of the command's code;
            // most launches got it wrong with a few running at once). DisposeAsync removes the container.
            // Creates are not cancelled half-way (each takes a few tens of ms): an engine finishes a create whose client
            // went away, and a container whose id airlock never learnt would be left behind, or, joined to its guard,
            // would keep the guard from being removed (podman 4.3 then leaves the guard stuck in "Removing"). Nor is the
            // runtime given the token: cancelled, it would throw before the id reached the clean-up below.
            if (services.NetworkMode == "none")
            {
                // allowlist: no guard (the sandbox has no interface to guard); its one way out is this process's proxy.
                if (plan.Spec.Network.Mode == NetworkPolicy.Allowlist)
                {
                    egress = SessionEgress.Start(paths, plan, PrivateRuntimeDirectory.For(DiscoveryEnvironment.FromProcess()));
                    create = create with { Egress = egress.Wiring() };
                }

                id = await runtime.CreateAsync(create, CancellationToken.None);
                ct.ThrowIfCancellationRequested();
                return new LaunchSession(runtime, id, plan, @lock, null, egress);
            }

            var subnets = runtime.ListSubnetsAsync(ct);
            var image = await GuardImage.EnsureAsync(runtime, guardBaseImage, () => notice($"building the network guard image from {guardBaseImage} (once per engine)"), ct);
            guard = await SessionGuard.CreateAsync(runtime, image, plan, services, CancellationToken.None);
            var armed = guard.ArmAsync(services, subnets, ct);
            var created = runtime.CreateAsync(create with { JoinNetworkOf = guard.Id }, CancellationToken.None);
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
            return new LaunchSession(runtime, id!, plan, @lock, guard, null);
        }
        catch
        {
            if (id is not null)
            {
                await runtime.RemoveAsync(id, RemoveMode.Wait, CancellationToken.None);
            }

            if (guard is not null)
            {
                await guard.RemoveAsync(RemoveMode.Wait);
            }

            if (egress is not null)
            {
                await egress.DisposeAsync();
            }

            @lock?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes the session a killed airlock left running in this project: nobody is attached to it any more, and it would
    /// break the one-sandbox-per-project rule the lock stands for. Only a launcher session of this very project is touched.
    /// </summary>
    private static async Task RemoveOrphanAsync(ISandboxRuntime runtime, string session, string project, List<string> warnings, CancellationToken ct)
    {
        var orphan = await runtime.TryInspectAsync(session, ct);
        if (orphan is null || !orphan.Owner.Matches(new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Project = project }))
        {
            return;
        }

        await runtime.RemoveAsync(orphan.Id, RemoveMode.Wait, ct);
        var guard = await runtime.TryInspectAsync(NetworkGuard.NameFor(session), ct);
        if (guard is not null && guard.Owner.Matches(new SandboxOwner { Role = SandboxOwner.Roles.LauncherGuard, Guards = session }))
        {
            await runtime.RemoveAsync(guard.Id, RemoveMode.Wait, ct);
        }

        warnings.Add($"removed session {session}: the airlock that started it in {project} ended without cleaning up (killed or crashed)");
    }

    /// <summary>
    /// Records that the sandbox's process has ended and its exit code was read: the container is then only clean-up, so
    /// <see cref="DisposeAsync"/> may leave its removal to the engine instead of waiting for it (<see cref="RemoveMode.Detached"/>:
    /// podman's takes ~200 ms, all of it after the person's command is over). Without this call, disposal waits until the container is gone.
    /// </summary>
    public void ProcessEnded() => _processEnded = true;

    /// <summary>Where the host reaches the ports forwarded into an <c>allowlist</c> session; empty in the other modes (the engine publishes them).</summary>
    public IReadOnlyList<SessionForward> Forwards => _egress?.Forwards ?? [];

    /// <summary>The destinations an <c>allowlist</c> session was refused so far; empty in the other modes.</summary>
    public IReadOnlyList<EgressRefusal> EgressRefused => _egress?.Refused ?? [];

    public async ValueTask DisposeAsync()
    {
        try
        {
            // With a guard, the sandbox owns no network (cheap to remove) but must be gone before the guard is: the guard
            // then takes the engine's network teardown, detached.
            var mode = _processEnded ? RemoveMode.Detached : RemoveMode.Wait;
            await _runtime.RemoveAsync(ContainerId, _guard is null ? mode : RemoveMode.Wait, CancellationToken.None);
            if (_guard is not null)
            {
                await _guard.RemoveAsync(mode);
            }
        }
        finally
        {
            if (_egress is not null)
            {
                await _egress.DisposeAsync();
            }

            _lock?.Dispose();
        }
    }
}
