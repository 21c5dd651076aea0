using Airlock.Sandboxes.Secrets;

namespace Airlock.Server.Egress;

/// <summary>
/// What a sandbox's proxy needs to fill in its secrets: the bindings with their values, and the sandbox's own authority
/// (handed over to <see cref="SandboxEgressHosts"/>, which disposes it with the proxy).
/// </summary>
public sealed record HostedSecrets(SecretSet Set, SandboxCertificateAuthority Authority);
