using System.Net;
using Airlock.Launcher.HostServices;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The network guard of one launch (see <see cref="NetworkGuard"/>): created before the sandbox, armed (started, this
/// session's host-port relay up, the rules loaded) while the sandbox is being created, and removed after the sandbox.
/// </summary>
public sealed class SessionGuard
{
    private readonly ISandboxRuntime _runtime;
    private HostServiceForwarder? _relay;

    private SessionGuard(ISandboxRuntime runtime, string id)
    {
        _runtime = runtime;
        Id = id;
    }

    public string Id { get; }

    /// <summary>Creates (does not start) the guard that will hold the network of <paramref name="plan"/>'s sandbox.</summary>
    public static async Task<SessionGuard> CreateAsync(ISandboxRuntime runtime, string image, LaunchPlan plan, HostServicePlan services, CancellationToken ct)
    {
        // Its own role, so `list sessions` shows only sandboxes and orphans can be found. Not the project: that marks the
        // sandbox working on the project (one per project, see ProjectLock); the guard belongs to the session, found by its
        // name (NetworkGuard.NameFor) and its owner.
        var owner = plan.Owner with { Role = SandboxOwner.Roles.LauncherGuard, Project = null, Guards = plan.SessionName };
        var spec = plan.Spec;
        var guard = new GuardCreate(
            image, NetworkGuard.NameFor(plan.SessionName), owner, services.NetworkMode, spec.Hostname, services.ExtraHosts, spec.Ports, spec.UsernsMode);
        return new SessionGuard(runtime, await runtime.CreateGuardAsync(guard, ct));
    }

    /// <summary>Starts the guard, opens this session's relay (if ports are asked on a rootful engine) and loads the rules.</summary>
    public async Task ArmAsync(HostServicePlan services, Task<IReadOnlyList<IPNetwork>> subnets, CancellationToken ct)
    {
        await _runtime.StartAsync(Id, ct);
        if (services.RelayAddress is { } gateway)
        {
            var guard = await _runtime.TryInspectAsync(Id, ct);
            if (!IPAddress.TryParse(guard?.Address, out var sandboxAddress))
            {
                throw new GuardException($"the network guard {Id[..Math.Min(12, Id.Length)]} got no address on the bridge, so no relay can be limited to it");
            }

            _relay = HostServiceForwarder.Start(gateway, services.Ports, sandboxAddress);
        }

        var policy = new GuardPolicy
        {
            HostAddresses = HostAddresses.Current(),
            SandboxSubnets = await subnets,
            Gateway = services.Gateway,
            Relays = _relay?.RelayPorts ?? new Dictionary<int, int>(),
            HostLoopbackAlias = services.LoopbackAlias,
            HostLoopbackPorts = services.LoopbackAlias is null ? [] : services.Ports,
        };
        await NetworkGuard.ApplyAsync(_runtime, Id, policy, ct);
    }

    /// <summary>
    /// Stops the relay and removes the guard; call after the sandbox is gone (podman refuses while it still depends on the
    /// guard). <see cref="RemoveMode.Detached"/> leaves the engine's slow network teardown to the engine.
    /// </summary>
    public async Task RemoveAsync(RemoveMode mode)
    {
        try
        {
            await _runtime.RemoveAsync(Id, mode, CancellationToken.None);
        }
        finally
        {
            if (_relay is not null)
            {
                await _relay.DisposeAsync();
            }
        }
    }
}
