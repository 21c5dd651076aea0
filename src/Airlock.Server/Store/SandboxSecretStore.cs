using Airlock.Server.Secrets;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>
/// The secrets stored with a sandbox (written with its row by <see cref="SandboxStore.InsertCreatingAsync"/>, removed
/// with it): its bindings and its sealed certificate authority.
/// </summary>
public sealed class SandboxSecretStore(Database database)
{
    /// <summary>The sandbox's secrets; null when it has none.</summary>
    public async Task<SealedSandboxSecrets?> GetAsync(string tenantId, string sandboxId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var authorities = (await connection.QueryAsync<(string KeyId, string Authority)>(new CommandDefinition(
            "SELECT key_id, authority FROM sandbox_authorities WHERE tenant_id = @tenantId AND sandbox_id = @sandboxId", new { tenantId, sandboxId }, cancellationToken: ct))).ToList();
        if (authorities.Count == 0)
        {
            return null;
        }

        var found = authorities[0];

        var bindings = await connection.QueryAsync<(string Name, string Variable, string Placeholder)>(new CommandDefinition(
            "SELECT name, variable, placeholder FROM sandbox_secrets WHERE tenant_id = @tenantId AND sandbox_id = @sandboxId ORDER BY name",
            new { tenantId, sandboxId },
            cancellationToken: ct));
        return new SealedSandboxSecrets(bindings.Select(b => new SandboxSecretBinding(b.Name, b.Variable, b.Placeholder)).ToList(), found.KeyId, found.Authority);
    }

    /// <summary>The tenant's sandboxes bound to the secret <paramref name="name"/>.</summary>
    public async Task<IReadOnlyList<string>> SandboxesBoundToAsync(string tenantId, string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT sandbox_id FROM sandbox_secrets WHERE tenant_id = @tenantId AND name = @name ORDER BY sandbox_id", new { tenantId, name }, cancellationToken: ct))).ToList();
    }
}
