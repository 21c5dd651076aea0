using Airlock.Server.Egress;

namespace Airlock.Server.Secrets;

/// <summary>
/// A sandbox's secrets, ready to run: the placeholders its environment gets (<see cref="Variables"/>) and what its proxy
/// fills in with (<see cref="Hosted"/>, whose authority goes to <see cref="SandboxEgressHosts"/>).
/// </summary>
public sealed record SandboxSecrets(IReadOnlyList<SandboxSecretBinding> Bindings, HostedSecrets Hosted)
{
    /// <summary>Each binding's variable and the placeholder in it: all the sandbox ever holds of a secret.</summary>
    public IReadOnlyDictionary<string, string> Variables => Bindings.ToDictionary(b => b.Variable, b => b.Placeholder, StringComparer.Ordinal);
}
