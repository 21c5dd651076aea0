namespace Airlock.Engine.Containers;

public sealed partial class ContainersClient
{
    /// <summary>
    /// The exit code if the container has stopped, else null. For a caller that saw the attach stream end (the process is
    /// gone): a few of these are far quicker than podman's wait, whose stop detection lags the exit by 200-400 ms.
    /// </summary>
    public async Task<int?> TryGetExitCodeAsync(string id, CancellationToken ct = default)
    {
        var details = await TryInspectAsync(id, ct);
        return details is { State: { Running: false, Status: "exited" or "stopped" or "dead" } state } ? state.ExitCode : null;
    }
}
