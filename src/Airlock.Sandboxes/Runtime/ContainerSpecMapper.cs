using Airlock.Engine.Containers;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Security.Seccomp;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Runtime;

/// <summary>Turns a sandbox spec into the engine's create request, adding the parts of the wall that are never optional.</summary>
public static class ContainerSpecMapper
{
    public static ContainerCreateOptions ToCreateOptions(SandboxSpec spec, string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> extraHosts) =>
        IsolationRules.Apply(spec, ToContainerOptions(spec, name, labels, extraHosts));

    /// <summary>A forwarded port as the engine takes it (an IPv6 host address without its brackets).</summary>
    public static PortMapping ToPortMapping(PortForward port) => new(port.ContainerPort, port.HostPort, port.HostAddress.Trim('[', ']'), port.Protocol);

    private static ContainerCreateOptions ToContainerOptions(SandboxSpec spec, string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> extraHosts) => new()
    {
        Image = spec.Image,
        Name = name,
        Command = spec.Command,
        Environment = spec.Environment,
        User = spec.User,
        UsernsMode = spec.UsernsMode,
        WorkingDirectory = spec.WorkingDirectory,
        Hostname = spec.Hostname,
        // Only the owner writes io.airlock.* labels: a config's or a tenant's own cannot claim to be something else's.
        // The level is always written (container too): a sandbox from a snapshot of a gVisor one must not inherit its label.
        Labels = SandboxOwner.WithoutOwnLabels(spec.Labels).Concat(labels).Append(SandboxOwner.IsolationLabel(spec.Isolation)).ToDictionary(StringComparer.Ordinal),
        Binds = spec.Mounts.Select(m => new BindMount(m.Source, m.Target, m.ReadOnly)).ToList(),
        Tmpfs = spec.Tmpfs,
        Ports = spec.Ports.Select(ToPortMapping).ToList(),
        NetworkMode = spec.Network.Mode,
        ExtraHosts = extraHosts,
        // A lifted pids limit (null) is sent as -1, "unlimited": left out, podman would apply its own default of 2048.
        Limits = new ResourceLimits(spec.Limits.MemoryBytes, spec.Limits.Cpus, spec.Limits.Pids ?? -1),
        CapDrop = Hardening.CapDrop,
        CapAdd = spec.Security.CapAdd.Select(c => c.ToUpperInvariant()).ToList(),
        SecurityOptions = [Hardening.NoNewPrivileges],
        SeccompProfile = SandboxSeccomp.JsonFor(spec.Security, spec.Isolation),
        MaskedPaths = Hardening.InitMemory,
        HardenBinds = true,
        ReadOnlyRootfs = spec.Security.ReadOnlyRootfs,
        Devices = spec.Devices,
        Init = true,
        Tty = spec.Tty,
        OpenStdin = spec.Interactive,
        StdinOnce = spec.Interactive,
    };
}
