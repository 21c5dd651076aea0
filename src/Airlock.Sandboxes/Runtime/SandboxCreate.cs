using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Runtime;

/// <summary>What <see cref="ISandboxRuntime.CreateAsync"/> makes: a spec, its name and owner, and how it is wired on the host.</summary>
public sealed record SandboxCreate
{
    public required SandboxSpec Spec { get; init; }

    /// <summary>The sandbox's unique name in its engine.</summary>
    public required string Name { get; init; }

    public required SandboxOwner Owner { get; init; }

    /// <summary><c>name:address</c> entries added to the sandbox's <c>/etc/hosts</c> (host services).</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>The id of a sandbox whose network namespace this one joins (its network guard); null for its own network.</summary>
    public string? JoinNetworkOf { get; init; }

    /// <summary>For an <c>allowlist</c> sandbox: the policy point's socket and the relay (required in that mode, ignored otherwise).</summary>
    public SandboxEgress? Egress { get; init; }

    /// <summary>Where the seccomp profile file is written for an engine that takes a path (podman); null for a temp dir of the runtime's.</summary>
    public string? SeccompProfileDirectory { get; init; }
}
