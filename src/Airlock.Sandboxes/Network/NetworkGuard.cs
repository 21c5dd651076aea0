using Airlock.Engine.Containers;
using Airlock.Engine.Exec;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;

namespace Airlock.Sandboxes.Network;

/// <summary>
/// A small container per sandbox that owns the sandbox's network namespace: it is the one with NET_ADMIN (over that
/// namespace only), loads the <see cref="GuardRules"/> and then just sleeps; the sandbox joins it
/// (<c>NetworkMode: container:GUARD</c>) without NET_ADMIN, so nothing inside can undo the rules. Whatever is about the
/// network (its mode, published ports, extra hosts, the hostname on Docker) is set on the guard, as engines refuse those
/// on a container that joins another's network. It is also where the egress policy point will sit: a proxy container
/// can join the same namespace and the rules redirect to it.
/// </summary>
public static class NetworkGuard
{
    public static string NameFor(string sandboxName) => sandboxName + "-guard";

    /// <summary>
    /// The guard's create request. <paramref name="usernsMode"/> is the sandbox's (keep-id on rootless podman): the sandbox
    /// then shares the guard's user namespace, which owns the network namespace it joins.
    /// </summary>
    public static ContainerCreateOptions CreateOptions(
        string image,
        string name,
        string networkMode,
        string? hostname,
        IReadOnlyList<string> extraHosts,
        IReadOnlyList<PortMapping> ports,
        string? usernsMode,
        IReadOnlyDictionary<string, string> labels) => new()
    {
        Image = image,
        Name = name,
        Command = ["sleep", "infinity"],
        User = "0:0",
        Hostname = hostname,
        Labels = labels,
        NetworkMode = networkMode,
        ExtraHosts = extraHosts,
        Ports = ports,
        UsernsMode = usernsMode,
        CapDrop = Hardening.CapDrop,
        CapAdd = ["NET_ADMIN"],
        SecurityOptions = [Hardening.NoNewPrivileges],
        ReadOnlyRootfs = true,
        Limits = new ResourceLimits(64L * 1024 * 1024, null, 32),
        Init = true,
        // Removed by the engine once it ends: a session's end only has to kill it (see EngineSandboxRuntime.RemoveAsync), and a
        // guard a killed airlock left running goes as soon as anything stops it.
        AutoRemove = true,
    };

    /// <summary>The sandbox's create request joined to the guard: no network settings of its own, which the guard holds.</summary>
    public static ContainerCreateOptions Join(ContainerCreateOptions sandbox, string guardId, EngineKind engine) => sandbox with
    {
        NetworkMode = $"container:{guardId}",
        ExtraHosts = [],
        Ports = [],
        // Docker shares the guard's hostname and refuses one of the sandbox's own; podman gives the sandbox its own UTS namespace.
        Hostname = engine == EngineKind.Docker ? null : sandbox.Hostname,
        UsernsMode = sandbox.UsernsMode is null ? null : $"container:{guardId}",
    };

    /// <summary>Loads the rules in the (started) guard; fails, naming nft's complaint, when they cannot be loaded.</summary>
    public static async Task ApplyAsync(ISandboxRuntime runtime, string guardId, GuardPolicy policy, CancellationToken ct)
    {
        var rules = GuardRules.Render(policy);
        var result = await runtime.RunAsync(
            guardId,
            new ExecOptions { Command = ["sh", "-c", GuardRules.LoadScript], User = "0:0" },
            System.Text.Encoding.UTF8.GetBytes(rules),
            ct);
        if (result.ExitCode != 0)
        {
            throw new GuardException($"the network guard could not load its rules (nft exited {result.ExitCode}): {result.Stderr.Trim()}");
        }
    }
}

/// <summary>The network guard could not be set up; the sandbox is not started without it.</summary>
public sealed class GuardException(string message) : Exception(message);
