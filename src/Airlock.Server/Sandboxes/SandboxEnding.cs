using Airlock.Sandboxes.Runtime;
using Airlock.Server.Store;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// The one "running -> ended" transition: a running sandbox whose container stopped becomes <c>exited</c> (its exit
/// code, and why when it was killed for memory), one whose container is gone becomes <c>lost</c>. The API (when it reads
/// a sandbox) and the reconciler (on a pass or an engine event) both record it here, so a sandbox reads the same
/// whichever saw it end first.
/// </summary>
public static class SandboxEnding
{
    /// <summary>The state written, or null when the container still runs or the row is no longer <c>running</c>.</summary>
    public static async Task<string?> RecordAsync(SandboxStore store, string tenantId, string id, SandboxInfo? container, CancellationToken ct)
    {
        if (SandboxExit.Of(container) is not { } exit)
        {
            return null;
        }

        var (state, error) = exit.Gone ? (SandboxState.Lost, SandboxService.LostMessage) : (SandboxState.Exited, exit.Reason);
        return await store.SetStateAsync(tenantId, id, state, [SandboxState.Running], exitCode: exit.ExitCode, error: error, ct: ct) ? state : null;
    }
}
