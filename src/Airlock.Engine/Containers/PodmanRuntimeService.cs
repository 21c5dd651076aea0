using System.Text.RegularExpressions;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Containers;

/// <summary>
/// Where podman creates a container under a chosen OCI runtime. podman 4.3's API ignores the runtime a create names
/// (<c>HostConfig.Runtime</c> in the compat API, <c>oci_runtime</c> in libpod's; measured, docs/design/isolation.md):
/// only the serving process's default runtime counts. So such a create goes to a podman service of the same user
/// started as <c>podman --runtime NAME system service</c>, on a private socket beside the one Airlock starts podman on
/// (it stops after <see cref="PodmanServiceStarter.IdleTimeout"/> unused). The container remembers its runtime, and the
/// engine starts, attaches, execs and removes it like any other. Only on this machine, and only as the engine's own user
/// (root for rootful podman), so that the service shares the engine's storage.
/// </summary>
public partial class PodmanRuntimeService(DiscoveryEnvironment? env = null, PodmanServiceStarter? starter = null)
{
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private readonly DiscoveryEnvironment _env = env ?? DiscoveryEnvironment.FromProcess();
    private readonly PodmanServiceStarter _starter = starter ?? new PodmanServiceStarter();

    /// <summary>A runtime name as containers.conf and daemon.json have them; it becomes part of a socket's file name.</summary>
    public static bool IsValidName(string runtime) => RuntimeName().IsMatch(runtime);

    /// <summary>The socket of the service whose default runtime is <paramref name="runtime"/>.</summary>
    public string SocketFor(string runtime) => Path.Combine(PrivateRuntimeDirectory.For(_env), $"podman-{runtime}.sock");

    /// <summary>
    /// The endpoint to create a container under <paramref name="runtime"/> for the podman engine at <paramref name="engine"/>,
    /// starting its service when none answers there.
    /// </summary>
    public virtual async Task<EngineEndpoint> EndpointAsync(string runtime, EngineEndpoint engine, bool rootless, CancellationToken ct)
    {
        if (!IsValidName(runtime))
        {
            throw new ArgumentException($"'{runtime}' is not an OCI runtime name (letters, digits, '.', '_', '-')", nameof(runtime));
        }

        var why = $"podman's API ignores the runtime a create names, so Airlock creates through a podman service of its own started with --runtime {runtime}";
        if (!engine.IsUnix)
        {
            throw new EngineException($"podman at {engine} cannot create a container under the OCI runtime {runtime}: {why}, which it can do only on its own machine");
        }

        if (rootless == (_env.UserId == 0))
        {
            throw new EngineException(
                $"podman at {engine} ({(rootless ? "rootless" : "rootful")}) cannot create a container under the OCI runtime {runtime} for uid {_env.UserId}: {why}, "
                + (rootless ? "which must run as the engine's own user, not root" : "which must run as root to share rootful podman's storage: run airlock as root, or use your own rootless podman"));
        }

        var socket = SocketFor(runtime);
        await Starting.WaitAsync(ct);
        try
        {
            // Checked every time, like Airlock's own podman service: a socket in a directory someone else controls is never used.
            PrivateRuntimeDirectory.Ensure(Path.GetDirectoryName(socket)!);
            if (!File.Exists(socket) || await EnginePing.PingAsync(EngineEndpoint.Unix(socket), TimeSpan.FromSeconds(2), ct) is not null)
            {
                var podman = _env.FindExecutable("podman")
                    ?? throw new EngineUnreachableException($"podman is not on PATH, and {why}", "install podman, or put it on PATH");
                await _starter.StartAsync(podman, socket, runtime, ct);
            }
        }
        finally
        {
            Starting.Release();
        }

        return EngineEndpoint.Unix(socket);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RuntimeName();
}
