namespace Airlock.Server.Secrets;

/// <summary>
/// What is stored with a sandbox that has secrets: its bindings, and its certificate authority (PKCS#12 with the key)
/// sealed under the secrets key <paramref name="KeyId"/>.
/// </summary>
public sealed record SealedSandboxSecrets(IReadOnlyList<SandboxSecretBinding> Bindings, string KeyId, string Authority);
