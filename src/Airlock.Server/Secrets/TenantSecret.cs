using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Secrets;

namespace Airlock.Server.Secrets;

/// <summary>
/// A tenant secret as the server shows it: its name, the variable a sandbox sees its placeholder in, the hosts its value
/// may go to and where in a request it goes. Never the value: that stays sealed in the store (<see cref="SealedTenantSecret"/>).
/// </summary>
public sealed record TenantSecret(
    string TenantId,
    string Name,
    string Variable,
    IReadOnlyList<EgressRule> Hosts,
    SecretInjection Injection,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A tenant secret with its value as stored: sealed under the key <paramref name="KeyId"/>.</summary>
public sealed record SealedTenantSecret(TenantSecret Secret, string KeyId, string Value);
