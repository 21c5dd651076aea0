using System.Net;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// The network guard of an <c>open</c> sandbox (see <see cref="NetworkGuard"/>, the launcher's too): a small container
/// on the engine's bridge that owns the sandbox's network namespace and holds nftables rules the sandbox cannot change.
/// Without it every open sandbox of every tenant would share one bridge and reach the others, and the host's own
/// addresses (this API among them); with it, the sandbox subnets of every node and the host's addresses are refused,
/// both ways. Named after the sandbox's container, so it is found and removed by name.
/// </summary>
public static class SandboxGuard
{
    public static string NameFor(string sandboxId) => NetworkGuard.NameFor(SandboxRecord.ContainerNameFor(sandboxId));

    /// <summary>
    /// Creates, starts and arms the guard of <paramref name="owner"/>'s sandbox; its id, for the sandbox to join. The guard
    /// image is built from <paramref name="baseImage"/> once per engine. <paramref name="hostAddresses"/> are refused
    /// besides <paramref name="subnets"/> (unknown for a remote node, whose bridge gateway is in its subnets anyway).
    /// </summary>
    public static async Task<string> CreateAsync(
        ISandboxRuntime runtime,
        string baseImage,
        SandboxOwner owner,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<IPAddress> hostAddresses,
        Func<Task<IReadOnlyList<IPNetwork>>> subnets,
        CancellationToken ct)
    {
        var image = await GuardImage.EnsureAsync(runtime, baseImage, building: null, ct);
        var guard = new GuardCreate(
            image, NameFor(owner.SandboxId!), owner with { Role = SandboxOwner.Roles.ServerGuard }, "bridge", Hostname: null, ExtraHosts: [], Ports: [], UsernsMode: null)
        {
            Labels = labels,
        };
        var id = await runtime.CreateGuardAsync(guard, ct);
        try
        {
            await runtime.StartAsync(id, ct);
            await NetworkGuard.ApplyAsync(runtime, id, new GuardPolicy { HostAddresses = hostAddresses, SandboxSubnets = await subnets() }, ct);
            return id;
        }
        catch
        {
            await runtime.RemoveAsync(id, RemoveMode.Wait, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Removes the sandbox's guard if it has one; after its container (podman refuses while the sandbox still joins it).</summary>
    public static Task RemoveAsync(ISandboxRuntime runtime, string sandboxId) =>
        runtime.RemoveAsync(NameFor(sandboxId), RemoveMode.Wait, CancellationToken.None);
}
