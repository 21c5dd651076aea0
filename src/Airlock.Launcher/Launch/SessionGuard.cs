using System.Net;
using Airlock.Engine;
using Airlock.Engine.Containers;
using Airlock.Engine.Identity;
using Airlock.Launcher.HostServices;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Security;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The network guard of one launch (see <see cref="NetworkGuard"/>): created before the sandbox, armed (started, this
/// session's host-port relay up, the rules loaded) while the sandbox is being created, and removed after the sandbox.
/// </summary>
public sealed class SessionGuard
{
    /// <summary>The owner label of guards, so <c>list sessions</c> shows only sandboxes and orphans can be found.</summary>
    public const string Owner = "launcher-guard";

    private readonly EngineClient _engine;
    private HostServiceForwarder? _relay;

    private SessionGuard(EngineClient engine, string id)
    {
        _engine = engine;
        Id = id;
    }

    public string Id { get; }

    /// <summary>Creates (does not start) the guard that will hold <paramref name="sandbox"/>'s network.</summary>
    public static async Task<SessionGuard> CreateAsync(
        EngineClient engine, string image, LaunchPlan plan, HostServicePlan services, ContainerCreateOptions sandbox, CancellationToken ct)
    {
        // Not the project label: that one marks the sandbox working on the project (one per project, see ProjectLock);
        // the guard belongs to the session, found by its name (NetworkGuard.NameFor) and these labels.
        var labels = new Dictionary<string, string>(plan.Spec.Labels)
        {
            [SandboxLabels.Owner] = Owner,
            [SandboxLabels.Session] = plan.SessionName,
            [NetworkGuard.GuardsLabel] = plan.SessionName,
        };
        labels.Remove(SandboxLabels.Project);
        var options = NetworkGuard.CreateOptions(
            image, NetworkGuard.NameFor(plan.SessionName), services.NetworkMode, sandbox.Hostname, services.ExtraHosts, sandbox.Ports, sandbox.UsernsMode, labels);
        return new SessionGuard(engine, await engine.Containers.CreateAsync(options, ct));
    }

    /// <summary>Starts the guard, opens this session's relay (if ports are asked on a rootful engine) and loads the rules.</summary>
    public async Task ArmAsync(HostServicePlan services, Task<IReadOnlyList<IPNetwork>> subnets, CancellationToken ct)
    {
        await _engine.Containers.StartAsync(Id, ct);
        if (services.RelayAddress is { } gateway)
        {
            var details = await _engine.Containers.InspectAsync(Id, ct);
            if (!IPAddress.TryParse(details.NetworkSettings.PrimaryAddress, out var sandboxAddress))
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
        await NetworkGuard.ApplyAsync(_engine, Id, policy, ct);
    }

    /// <summary>
    /// Stops the relay and removes the guard; call after the sandbox is gone (podman refuses while it still depends on the
    /// guard). <paramref name="detached"/> leaves podman's slow network teardown (~200 ms) to the engine: the guard is
    /// killed, and podman's own clean-up process removes it (it is created auto-removing). Not a removal request whose
    /// answer is not awaited: podman 4.3 ties the network teardown to the request, and a client that goes away can cut
    /// it short, leaving a container stuck in "Removing" that fails every network look-up after it.
    /// </summary>
    public async Task RemoveAsync(bool detached)
    {
        try
        {
            if (detached && _engine.Identity.Kind == EngineKind.Podman)
            {
                try
                {
                    await _engine.Containers.KillAsync(Id, ct: CancellationToken.None);
                    return;
                }
                catch (Engine.Errors.EngineException)
                {
                    // Not running (it never started, or already ended): remove and wait below, which reports a real problem.
                }
            }

            await _engine.Containers.RemoveIfExistsAsync(Id, CancellationToken.None);
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
