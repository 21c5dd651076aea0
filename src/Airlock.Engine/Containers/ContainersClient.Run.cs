using System.Diagnostics;
using Airlock.Engine.Errors;
using Airlock.Engine.Identity;

namespace Airlock.Engine.Containers;

/// <summary>What <see cref="ContainersClient.RunToCompletionAsync"/> saw: the exit code and where the time went.</summary>
public sealed record ContainerRunResult(string ContainerId, int ExitCode, TimeSpan Create, TimeSpan Start, TimeSpan Wait, TimeSpan Remove)
{
    public TimeSpan Total => Create + Start + Wait + Remove;
}

public sealed partial class ContainersClient
{
    /// <summary>How long podman's exit is watched by polling inspect before falling back to the blocking wait.</summary>
    private static readonly TimeSpan PodmanPollWindow = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan PodmanPollCap = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Creates a container, starts it, waits for its main process to exit, removes it and returns its exit code: what
    /// <c>docker run --rm</c> / <c>podman run --rm</c> do, without attaching. The container is removed on every path
    /// (success, failure, cancellation); <see cref="ContainerCreateOptions.AutoRemove"/> is ignored, because the exit
    /// code has to be read before the container goes.
    /// </summary>
    public async Task<ContainerRunResult> RunToCompletionAsync(ContainerCreateOptions options, CancellationToken ct = default)
    {
        var t0 = Stopwatch.GetTimestamp();
        var id = await CreateAsync(options with { AutoRemove = false }, ct);
        var t1 = Stopwatch.GetTimestamp();
        var removed = false;
        try
        {
            await StartAsync(id, ct);
            var t2 = Stopwatch.GetTimestamp();
            var exitCode = Kind == EngineKind.Podman ? await WaitForPodmanExitAsync(id, ct) : await WaitAsync(id, ct);
            var t3 = Stopwatch.GetTimestamp();
            await RemoveAsync(id, ct: ct);
            removed = true;
            var t4 = Stopwatch.GetTimestamp();
            return new ContainerRunResult(
                id, exitCode, Stopwatch.GetElapsedTime(t0, t1), Stopwatch.GetElapsedTime(t1, t2), Stopwatch.GetElapsedTime(t2, t3), Stopwatch.GetElapsedTime(t3, t4));
        }
        finally
        {
            if (!removed)
            {
                await RemoveAfterFailureAsync(id);
            }
        }
    }

    /// <summary>
    /// podman's wait, compat or libpod, returns only when the container reaches "exited": after the
    /// <c>podman container cleanup</c> process that conmon spawns at exit has started, unmounted the rootfs and torn the
    /// network down, 150-250 ms after a short process ends. Inspect syncs with conmon's exit file and reports
    /// "stopped" (compat) or "exited" (libpod) with the exit code at once, and the remove that follows does the same
    /// clean-up inside the already running service. So a short run is watched by polling inspect with a growing
    /// delay; a long one falls back to the blocking wait after <see cref="PodmanPollWindow"/>.
    /// </summary>
    private async Task<int> WaitForPodmanExitAsync(string id, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(2);
        while (Stopwatch.GetElapsedTime(started) < PodmanPollWindow)
        {
            var state = (await InspectAsync(id, ct)).State;
            if (!state.Running && state.Status is "stopped" or "exited" or "dead")
            {
                return state.ExitCode;
            }

            await Task.Delay(delay, ct);
            delay = delay * 2 < PodmanPollCap ? delay * 2 : PodmanPollCap;
        }

        return await WaitAsync(id, ct);
    }

    /// <summary>Best effort: the run already failed or was cancelled, and that error is the one the caller should see.</summary>
    private async Task RemoveAfterFailureAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await RemoveIfExistsAsync(id, timeout.Token);
        }
        catch (Exception ex) when (ex is EngineException or OperationCanceledException or HttpRequestException)
        {
            // Left behind; the caller's label-based sweep is the backstop.
        }
    }
}
