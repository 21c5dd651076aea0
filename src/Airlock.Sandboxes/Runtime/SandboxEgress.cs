namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// Where an <c>allowlist</c> sandbox's traffic goes: the host directory holding the egress policy point's unix socket
/// (mounted read-only; a socket can be connected to through a read-only mount), and the relay executable that carries
/// the sandbox's loopback connections to it. The face that creates the sandbox runs the policy point.
/// </summary>
/// <param name="SocketDirectory">A directory of this sandbox's only, holding <see cref="Network.EgressWiring.SocketName"/>.</param>
/// <param name="RelayExecutable">airlock-relay (Native AOT) on the host, mounted read-only.</param>
/// <param name="TrustsAuthority">
/// The sandbox has secrets: <see cref="SocketDirectory"/> also holds the sandbox's authority and a trust bundle with it
/// (<see cref="Secrets.SandboxTrust"/>), which the sandbox's tools are pointed at.
/// </param>
public sealed record SandboxEgress(string SocketDirectory, string RelayExecutable, bool TrustsAuthority = false);
