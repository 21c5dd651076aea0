using Airlock.Engine.Containers;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Security;

/// <summary>
/// What each isolation level changes in an engine's create request, in one place. Measured on podman 4.3 and Docker
/// 20.10 with runsc 0.0~20240729 from bookworm-backports: docs/design/isolation.md has the raw facts.
/// </summary>
public static class IsolationRules
{
    /// <summary>
    /// The OCI runtime name scripts/setup-gvisor.sh registers gVisor under on both engines: a wrapper of runsc with the
    /// flags these machines need (<c>--network=host --oci-seccomp --platform=ptrace</c>), not Debian's bare <c>runsc</c>,
    /// which podman also lists by default and whose own network stack does not start here.
    /// </summary>
    public const string GvisorRuntime = "airlock-runsc";

    /// <summary>
    /// gVisor for a sandbox with no network interface but loopback (<c>none</c>, <c>allowlist</c>): gVisor's own network
    /// stack with loopback only (<c>--network=none</c>; with the host's stack a new network namespace's loopback stays
    /// down under runsc, so nothing could listen on 127.0.0.1), and <c>--host-uds=open</c> so that the relay inside can
    /// connect to the egress policy point's socket mounted from the host.
    /// </summary>
    public const string GvisorLoopbackRuntime = "airlock-runsc-loopback";

    /// <summary>
    /// Under gVisor the pids cgroup counts the sandbox's host threads, not its processes: about 60 for gVisor itself and
    /// 7-8 for each process inside (ptrace platform; 150 idle processes took 1169). At the limit gVisor itself cannot make
    /// a thread and the whole sandbox dies, so a spec's limit (processes inside) is scaled to the threads it takes.
    /// </summary>
    public const long GvisorThreadsPerProcess = 8;

    /// <summary>gVisor's own threads before any process runs inside, with headroom (about 60 were measured).</summary>
    public const long GvisorBaseThreads = 128;

    /// <summary>The engine's runtime for <paramref name="level"/> and a network that is or is not loopback only: null keeps the engine's default (runc/crun).</summary>
    public static string? RuntimeFor(IsolationLevel level, bool loopbackOnly) => level switch
    {
        IsolationLevel.Container => null,
        IsolationLevel.Gvisor => loopbackOnly ? GvisorLoopbackRuntime : GvisorRuntime,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>Every runtime an engine must have to offer <paramref name="level"/> (empty: the engine's default is enough).</summary>
    public static IReadOnlyList<string> RuntimesFor(IsolationLevel level) =>
        new[] { RuntimeFor(level, loopbackOnly: false), RuntimeFor(level, loopbackOnly: true) }.OfType<string>().Distinct().ToList();

    /// <summary>The engine's pids limit for a spec's (null or below 1: unlimited, passed on as is).</summary>
    /// <remarks>A limit too large to scale stays the largest there is: it must never wrap round to a negative, "unlimited".</remarks>
    public static long? PidsLimitFor(IsolationLevel level, long? pids) =>
        level == IsolationLevel.Gvisor && pids is > 0
            ? pids.Value > (long.MaxValue - GvisorBaseThreads) / GvisorThreadsPerProcess ? long.MaxValue : (pids.Value * GvisorThreadsPerProcess) + GvisorBaseThreads
            : pids;

    /// <summary>
    /// Why <paramref name="spec"/> cannot run at its level, keyed by the field at fault; empty when it can. podman's
    /// <c>keep-id</c> user namespace (rootless) stops runsc before the sandbox starts ("error setting up chroot: error
    /// converting mounts: operation not permitted").
    /// </summary>
    public static IEnumerable<(string Field, string Message)> Problems(SandboxSpec spec)
    {
        if (!CanRun(spec.Isolation, spec.UsernsMode))
        {
            yield return ("usernsMode", $"keep-id (rootless podman's own uid inside) does not run under {IsolationLevels.GvisorName}: runsc cannot set up its sandbox in that user namespace; use rootful podman or Docker for {IsolationLevels.GvisorName}, or the {IsolationLevels.ContainerName} level");
        }
    }

    /// <summary>Whether a sandbox at <paramref name="level"/> can run in user namespace mode <paramref name="usernsMode"/>.</summary>
    public static bool CanRun(IsolationLevel level, string? usernsMode) =>
        !(level == IsolationLevel.Gvisor && string.Equals(usernsMode, SandboxSpec.KeepIdUsernsMode, StringComparison.Ordinal));

    /// <summary>The create request for <paramref name="spec"/>'s level: the runtime and the limits as that runtime counts them.</summary>
    public static ContainerCreateOptions Apply(SandboxSpec spec, ContainerCreateOptions options) =>
        spec.Isolation == IsolationLevel.Container
            ? options
            : options with
            {
                Runtime = RuntimeFor(spec.Isolation, spec.Network.LoopbackOnly),
                Limits = options.Limits with { PidsLimit = PidsLimitFor(spec.Isolation, options.Limits.PidsLimit) },
            };
}
