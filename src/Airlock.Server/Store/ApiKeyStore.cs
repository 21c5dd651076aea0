using Airlock.Server.Auth;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>API key rows. With a <see cref="ApiKeyCache"/>, authentication reads a busy key's row at most every few seconds.</summary>
public sealed class ApiKeyStore(Database database, TimeProvider time, ApiKeyCache? cache = null)
{
    /// <summary>Creates a key and returns it with its one-time secret.</summary>
    public async Task<(ApiKeyInfo Info, string Key)> CreateAsync(string? tenantId, Role role, string name, CancellationToken ct)
    {
        var (id, key, hash) = ApiKeySecret.Generate();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_keys (id, tenant_id, role, name, secret_hash, created_at) VALUES (@id, @tenantId, @role, @name, @hash, @now)",
            new { id, tenantId, role = Roles.Name(role), name, hash, now },
            cancellationToken: ct));
        return (new ApiKeyInfo(id, tenantId, role, name, DateTimeOffset.FromUnixTimeMilliseconds(now), null), key);
    }

    /// <summary>The active key a presented secret belongs to, with its tenant's rate-limit tier; null when unknown, wrong or revoked.</summary>
    public async Task<(ApiKeyInfo Key, string? Tier)?> AuthenticateAsync(string presented, CancellationToken ct) =>
        await AuthenticateAsync(presented, null, ct) is { Key: { } key } ? (key.Info, key.Tier) : null;

    /// <summary>
    /// The active key a presented secret belongs to; null when unknown, wrong or revoked. <paramref name="mayReadDatabase"/>
    /// is asked before a key not in the cache is read (false: <see cref="KeyLookup.Throttled"/>, nothing read).
    /// </summary>
    public async Task<KeyLookup> AuthenticateAsync(string presented, Func<bool>? mayReadDatabase, CancellationToken ct)
    {
        if (!ApiKeySecret.TryParse(presented, out var id, out var secret))
        {
            return default;
        }

        var found = await FindActiveAsync(id, mayReadDatabase, ct);
        return found.Key is { } key && !ApiKeySecret.Matches(secret, key.SecretHash) ? default : found;
    }

    /// <summary>
    /// The active key with this id, from the cache (at most <see cref="ApiKeyCache.Lifetime"/> old) or the database;
    /// none when unknown or revoked, or when its tenant is gone. What a token names is checked against this.
    /// </summary>
    public async Task<KeyLookup> FindActiveAsync(string id, Func<bool>? mayReadDatabase, CancellationToken ct)
    {
        if (cache is not null && cache.TryGet(id, out var cached))
        {
            return new KeyLookup(cached, Throttled: false);
        }

        if (mayReadDatabase is not null && !mayReadDatabase())
        {
            return new KeyLookup(null, Throttled: true);
        }

        var generation = cache?.Generation ?? 0;
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT k.id, k.tenant_id, k.role, k.name, k.secret_hash, k.created_at, k.revoked_at, t.tier, t.generation "
            + "FROM api_keys k LEFT JOIN tenants t ON t.id = k.tenant_id WHERE k.id = @id",
            new { id },
            cancellationToken: ct));

        // A tenant key whose tenant row is gone (deleted as this was read) counts as gone.
        if (row is null || row.Revoked_At is not null || (row.Tenant_Id is not null && row.Tier is null))
        {
            return default;
        }

        var key = new CachedKey(row.ToInfo(), row.Secret_Hash, row.Tier, row.Generation);
        cache?.Add(key, generation);
        return new KeyLookup(key, Throttled: false);
    }

    /// <summary>Keys of one tenant, or the system keys when <paramref name="tenantId"/> is null.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? tenantId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var sql = "SELECT id, tenant_id, role, name, secret_hash, created_at, revoked_at FROM api_keys WHERE "
            + (tenantId is null ? "tenant_id IS NULL" : "tenant_id = @tenantId") + " ORDER BY id";
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(sql, new { tenantId }, cancellationToken: ct));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    /// <summary>Revokes a key of the given tenant (null: a system key); false when there is no such active key there.</summary>
    public async Task<bool> RevokeAsync(string? tenantId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var sql = "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL AND "
            + (tenantId is null ? "tenant_id IS NULL" : "tenant_id = @tenantId");
        var revoked = await connection.ExecuteAsync(new CommandDefinition(sql, new { id, tenantId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct)) > 0;
        if (revoked)
        {
            cache?.Invalidate(id);
        }

        return revoked;
    }

    /// <summary>True when at least one system admin key is active (else the server makes the bootstrap key).</summary>
    public async Task<bool> AnySystemAdminAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM api_keys WHERE tenant_id IS NULL AND role = 'admin' AND revoked_at IS NULL", cancellationToken: ct)) > 0;
    }
}

/// <summary>What a key lookup found: the active key, or none; <see cref="Throttled"/> when it was not looked up at all.</summary>
public readonly record struct KeyLookup(CachedKey? Key, bool Throttled);
