using Airlock.Server.Secrets;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>
/// Which key the database's encrypted rows are under (the <c>secrets-key-id</c> setting, and each row's <c>key_id</c>),
/// and re-encrypting them all under another key in one transaction.
/// </summary>
public sealed class SecretsKeyStore(Database database)
{
    public const string SettingName = "secrets-key-id";

    /// <summary>The key id the database is bound to; null on a database that has none yet.</summary>
    public async Task<string?> BoundKeyIdAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM server_settings WHERE name = @name", new { name = SettingName }, cancellationToken: ct));
    }

    /// <summary>Binds the database to <paramref name="keyId"/> unless it already is to one; returns the id it is bound to.</summary>
    public Task<string> BindAsync(string keyId, CancellationToken ct) =>
        new SettingsStore(database).GetOrCreateAsync(SettingName, () => keyId, ct);

    /// <summary>The key ids encrypted rows carry, each with how many rows.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RowsByKeyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string KeyId, long Count)>(new CommandDefinition(
            "SELECT key_id, COUNT(*) FROM tenant_secrets GROUP BY key_id UNION ALL SELECT key_id, COUNT(*) FROM sandbox_authorities GROUP BY key_id",
            cancellationToken: ct));
        return rows.GroupBy(r => r.KeyId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Count), StringComparer.Ordinal);
    }

    /// <summary>
    /// Opens every row sealed under <paramref name="from"/> and seals it again under <paramref name="to"/>, then binds
    /// the database to <paramref name="to"/>: all in one transaction, so a failure leaves every row as it was. Returns
    /// how many rows were re-encrypted.
    /// </summary>
    public Task<int> ReencryptAsync(SecretsKey from, SecretsKey to, CancellationToken ct) =>
        database.InTransactionAsync(async (connection, tx) =>
        {
            var count = 0;
            var secrets = await connection.QueryAsync<(string TenantId, string Name, string Value)>(new CommandDefinition(
                $"SELECT tenant_id, name, value FROM tenant_secrets WHERE key_id = @keyId{database.ForUpdate}", new { keyId = from.Id }, tx, cancellationToken: ct));
            foreach (var (tenantId, name, value) in secrets.ToList())
            {
                var owner = SealedOwner.TenantSecret(tenantId, name);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE tenant_secrets SET key_id = @keyId, value = @value WHERE tenant_id = @tenantId AND name = @name",
                    new { keyId = to.Id, value = to.Seal(from.Open(value, owner), owner), tenantId, name },
                    tx,
                    cancellationToken: ct));
                count++;
            }

            var authorities = await connection.QueryAsync<(string TenantId, string SandboxId, string Authority)>(new CommandDefinition(
                $"SELECT tenant_id, sandbox_id, authority FROM sandbox_authorities WHERE key_id = @keyId{database.ForUpdate}", new { keyId = from.Id }, tx, cancellationToken: ct));
            foreach (var (tenantId, sandboxId, authority) in authorities.ToList())
            {
                var owner = SealedOwner.SandboxAuthority(tenantId, sandboxId);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE sandbox_authorities SET key_id = @keyId, authority = @authority WHERE sandbox_id = @sandboxId",
                    new { keyId = to.Id, authority = to.Seal(from.Open(authority, owner), owner), sandboxId },
                    tx,
                    cancellationToken: ct));
                count++;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO server_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                new { name = SettingName, value = to.Id },
                tx,
                cancellationToken: ct));
            return count;
        }, ct);
}
