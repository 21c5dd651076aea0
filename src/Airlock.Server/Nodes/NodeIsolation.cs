using System.Collections.Concurrent;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;
using Airlock.Server.Errors;

namespace Airlock.Server.Nodes;

/// <summary>
/// Which isolation levels each node's engine can run: a level needs its OCI runtime registered there
/// (<see cref="IsolationRules.RuntimeFor"/>). The engine's list is asked once per node and kept for
/// <see cref="CacheFor"/>, so a runtime registered later (scripts/setup-gvisor.sh) is seen without a restart.
/// </summary>
public sealed class NodeIsolation(TimeProvider time)
{
    /// <summary>How long a node's runtime list is trusted before its engine is asked again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    /// <summary>What to run to add the gVisor level to a node's engines.</summary>
    public const string GvisorFix = "scripts/setup-gvisor.sh (installs runsc and registers it with podman and Docker as " + IsolationRules.GvisorRuntime + " and " + IsolationRules.GvisorLoopbackRuntime + ")";

    private readonly ConcurrentDictionary<string, (EngineRuntimes Runtimes, DateTimeOffset At)> _known = new(StringComparer.Ordinal);

    /// <summary>Throws a 409 naming the level, the node and how to add it when <paramref name="node"/> cannot run <paramref name="level"/>.</summary>
    public async Task EnsureAsync(string node, ISandboxRuntime runtime, IsolationLevel level, string field, CancellationToken ct)
    {
        var runtimes = IsolationRules.RuntimesFor(level);
        if (runtimes.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (!_known.TryGetValue(node, out var known) || now - known.At > CacheFor)
        {
            known = (await runtime.OciRuntimesAsync(ct), now);
            _known[node] = known;
        }

        if (runtimes.FirstOrDefault(r => !known.Runtimes.Contains(r)) is { } needed)
        {
            throw ApiException.Conflict(
                $"{field}: isolation level '{IsolationLevels.Name(level)}' is not available on node '{node}': its engine has no OCI runtime '{needed}'. "
                + $"The server's operator adds it on that node with {GvisorFix}; or ask for '{IsolationLevels.ContainerName}' if the tenant may use it");
        }
    }
}
