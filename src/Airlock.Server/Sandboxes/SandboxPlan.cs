using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Specs;
using Airlock.Server.Images;

namespace Airlock.Server.Sandboxes;

/// <summary>A checked request: the spec to run, what it reserves from the quota, where its image comes from, and its egress policy.</summary>
public sealed record SandboxPlan(string Name, SandboxSpec Spec, long CpuMillis, long MemoryBytes, IReadOnlyDictionary<string, string> Labels, ImageSource Source)
{
    /// <summary>What the sandbox may reach; its mode decides how it is wired (<see cref="SandboxNetworkRules"/>).</summary>
    public EgressPolicy Egress { get; init; } = EgressPolicy.Deny;

    /// <summary>The names of the tenant secrets the sandbox gets, in the order asked (checked: allowlist, no clash).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>When it ends by itself; null when it lives until deleted.</summary>
    public LifetimeRequest? Lifetime { get; init; }
}
