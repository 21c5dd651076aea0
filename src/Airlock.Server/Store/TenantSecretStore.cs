using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Secrets;
using Airlock.Server.Secrets;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>
/// A tenant's secrets. Every query names the tenant. Values come in and go out sealed (<see cref="SecretsKey"/>); only
/// the binding of a sandbox's proxy reads them (<see cref="GetSealedAsync"/>), and no listing does.
/// </summary>
public sealed class TenantSecretStore(Database database, TimeProvider time)
{
    /// <summary>
    /// Creates the secret, or replaces every part of an existing one of that name (a rotated value): returns it and
    /// whether it was new. Null when the tenant has <paramref name="maxPerTenant"/> secrets already and this one is new.
    /// </summary>
    public Task<(TenantSecret Secret, bool Created)?> SetAsync(
        string tenantId, string name, string variable, IReadOnlyList<EgressRule> hosts, SecretInjection injection, string keyId, string sealedValue,
        int maxPerTenant, CancellationToken ct) =>
        database.InTransactionAsync<(TenantSecret, bool)?>(async (connection, tx) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var existing = await connection.QuerySingleOrDefaultAsync<TenantSecretRow>(new CommandDefinition(
                $"SELECT {TenantSecretRow.Columns} FROM tenant_secrets WHERE tenant_id = @tenantId AND name = @name{database.ForUpdate}",
                new { tenantId, name },
                tx,
                cancellationToken: ct));
            var values = new { tenantId, name, variable, hosts = string.Join("\n", hosts), injection = injection.ToString(), keyId, value = sealedValue, now };
            if (existing is null)
            {
                var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM tenant_secrets WHERE tenant_id = @tenantId", new { tenantId }, tx, cancellationToken: ct));
                if (count >= maxPerTenant)
                {
                    return null;
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO tenant_secrets (tenant_id, name, variable, hosts, injection, key_id, value, created_at, updated_at) "
                    + "VALUES (@tenantId, @name, @variable, @hosts, @injection, @keyId, @value, @now, @now)",
                    values,
                    tx,
                    cancellationToken: ct));
            }
            else
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE tenant_secrets SET variable = @variable, hosts = @hosts, injection = @injection, key_id = @keyId, value = @value, updated_at = @now "
                    + "WHERE tenant_id = @tenantId AND name = @name",
                    values,
                    tx,
                    cancellationToken: ct));
            }

            var created = DateTimeOffset.FromUnixTimeMilliseconds(existing?.Created_At ?? now);
            return (new TenantSecret(tenantId, name, variable, hosts, injection, created, DateTimeOffset.FromUnixTimeMilliseconds(now)), existing is null);
        }, ct);

    public async Task<IReadOnlyList<TenantSecret>> ListAsync(string tenantId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TenantSecretRow>(new CommandDefinition(
            $"SELECT {TenantSecretRow.Columns} FROM tenant_secrets WHERE tenant_id = @tenantId ORDER BY name", new { tenantId }, cancellationToken: ct));
        return rows.Select(r => r.ToSecret()).ToList();
    }

    public async Task<TenantSecret?> GetAsync(string tenantId, string name, CancellationToken ct) =>
        (await GetSealedAsync(tenantId, [name], ct)).FirstOrDefault()?.Secret;

    /// <summary>The named secrets of the tenant that exist, each with its sealed value: for binding them to a sandbox's proxy.</summary>
    public async Task<IReadOnlyList<SealedTenantSecret>> GetSealedAsync(string tenantId, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        if (names.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TenantSecretRow>(new CommandDefinition(
            $"SELECT {TenantSecretRow.Columns} FROM tenant_secrets WHERE tenant_id = @tenantId AND {database.InList("name", "names")} ORDER BY name",
            new { tenantId, names = names.ToArray() },
            cancellationToken: ct));
        return rows.Select(r => r.ToSealed()).ToList();
    }

    /// <summary>Removes the secret; false when the tenant has none of that name.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM tenant_secrets WHERE tenant_id = @tenantId AND name = @name", new { tenantId, name }, cancellationToken: ct)) > 0;
    }
}
