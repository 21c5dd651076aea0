using Airlock.Sandboxes.Specs;
using Airlock.Server.Tenants;
using Dapper;

namespace Airlock.Server.Store;

public sealed class TenantStore(Database database, TimeProvider time)
{
    /// <summary>Creates a tenant that may use only the server's images; null when the id is taken.</summary>
    public Task<Tenant?> CreateAsync(string id, string displayName, string tier, TenantQuota quota, CancellationToken ct) =>
        CreateAsync(id, displayName, tier, quota, [], ct);

    /// <summary>Creates a tenant with the images it may use besides the server's; null when the id is taken.</summary>
    public Task<Tenant?> CreateAsync(string id, string displayName, string tier, TenantQuota quota, IReadOnlyList<string> images, CancellationToken ct) =>
        CreateAsync(id, displayName, tier, quota, images, TenantIsolation.Open, ct);

    /// <summary>Creates a tenant with its images and its isolation policy; null when the id is taken.</summary>
    public Task<Tenant?> CreateAsync(string id, string displayName, string tier, TenantQuota quota, IReadOnlyList<string> images, TenantIsolation isolation, CancellationToken ct) =>
        CreateAsync(id, displayName, tier, quota, images, isolation, TenantEgress.Default, ct);

    /// <summary>Creates a tenant with its images, isolation policy and egress ceiling; null when the id is taken.</summary>
    public async Task<Tenant?> CreateAsync(
        string id, string displayName, string tier, TenantQuota quota, IReadOnlyList<string> images, TenantIsolation isolation, TenantEgress egress, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            await database.InTransactionAsync(async (connection, tx) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO tenants (id, display_name, tier, max_sandboxes, max_cpu_millis, max_memory_bytes, created_at, generation, isolation_levels, isolation_default, egress_open, egress_allow) "
                    + "VALUES (@id, @displayName, @tier, @MaxSandboxes, @MaxCpuMillis, @MaxMemoryBytes, @at, @generation, @levels, @level, @egressOpen, @egressAllow)",
                    new
                    {
                        id, displayName, tier, quota.MaxSandboxes, quota.MaxCpuMillis, quota.MaxMemoryBytes, at = now.ToUnixTimeMilliseconds(), generation = NewGeneration(),
                        levels = isolation.Stored, level = IsolationLevels.Name(isolation.Default),
                        egressOpen = egress.Open ? 1L : 0L, egressAllow = egress.StoredAllow,
                    },
                    tx,
                    cancellationToken: ct));
                await InsertImagesAsync(connection, tx, id, images, ct);
            }, ct);
        }
        catch (Exception ex) when (Database.IsUniqueViolation(ex))
        {
            return null;
        }

        return new Tenant(id, displayName, tier, quota, new TenantUsage(0, 0, 0), DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()))
        {
            Isolation = isolation,
            Egress = egress,
        };
    }

    /// <summary>The images the system admin allowed this tenant besides the server's list (as written, in order).</summary>
    public async Task<IReadOnlyList<string>> GetImagesAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT reference FROM tenant_images WHERE tenant_id = @id ORDER BY reference", new { id }, cancellationToken: ct))).ToList();
    }

    /// <summary>Replaces the tenant's own image list; false when there is no such tenant.</summary>
    public Task<bool> SetImagesAsync(string id, IReadOnlyList<string> images, CancellationToken ct) =>
        database.InTransactionAsync(async (connection, tx) =>
        {
            var exists = await connection.ExecuteScalarAsync<string?>(
                new CommandDefinition($"SELECT id FROM tenants WHERE id = @id{database.ForUpdate}", new { id }, tx, cancellationToken: ct));
            if (exists is null)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM tenant_images WHERE tenant_id = @id", new { id }, tx, cancellationToken: ct));
            await InsertImagesAsync(connection, tx, id, images, ct);
            return true;
        }, ct);

    private static async Task InsertImagesAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string id, IReadOnlyList<string> images, CancellationToken ct)
    {
        foreach (var reference in images.Distinct(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO tenant_images (tenant_id, reference) VALUES (@id, @reference)", new { id, reference }, tx, cancellationToken: ct));
        }
    }

    /// <summary>A fresh value for a new tenant: its tokens carry it, so they never reach a later tenant of the same id.</summary>
    private static string NewGeneration() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    public async Task<Tenant?> GetAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(
            new CommandDefinition($"SELECT {TenantRow.Columns} FROM tenants WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToTenant();
    }

    public async Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TenantRow>(new CommandDefinition($"SELECT {TenantRow.Columns} FROM tenants ORDER BY id", cancellationToken: ct));
        return rows.Select(r => r.ToTenant()).ToList();
    }

    public async Task<Tenant?> SetQuotaAsync(string id, TenantQuota quota, string? tier, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET max_sandboxes = @MaxSandboxes, max_cpu_millis = @MaxCpuMillis, max_memory_bytes = @MaxMemoryBytes, "
            + "tier = COALESCE(@tier, tier) WHERE id = @id",
            new { id, quota.MaxSandboxes, quota.MaxCpuMillis, quota.MaxMemoryBytes, tier },
            cancellationToken: ct));
        return changed == 0 ? null : await GetAsync(id, ct);
    }

    /// <summary>Replaces the tenant's isolation policy (sandboxes that exist keep their level); null when there is no such tenant.</summary>
    public async Task<Tenant?> SetIsolationAsync(string id, TenantIsolation isolation, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET isolation_levels = @levels, isolation_default = @level WHERE id = @id",
            new { id, levels = isolation.Stored, level = IsolationLevels.Name(isolation.Default) },
            cancellationToken: ct));
        return changed == 0 ? null : await GetAsync(id, ct);
    }

    /// <summary>Replaces the tenant's egress ceiling (sandboxes that exist keep their network until changed or restored); null when there is no such tenant.</summary>
    public async Task<Tenant?> SetEgressAsync(string id, TenantEgress egress, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET egress_open = @open, egress_allow = @allow WHERE id = @id",
            new { id, open = egress.Open ? 1L : 0L, allow = egress.StoredAllow },
            cancellationToken: ct));
        return changed == 0 ? null : await GetAsync(id, ct);
    }

    /// <summary>Deletes a tenant that has no sandboxes left (its keys go with it).</summary>
    public Task<TenantDeleteOutcome> DeleteAsync(string id, CancellationToken ct) =>
        database.InTransactionAsync(async (connection, tx) =>
        {
            var exists = await connection.ExecuteScalarAsync<string?>(
                new CommandDefinition($"SELECT id FROM tenants WHERE id = @id{database.ForUpdate}", new { id }, tx, cancellationToken: ct));
            if (exists is null)
            {
                return TenantDeleteOutcome.NotFound;
            }

            var sandboxes = await connection.ExecuteScalarAsync<long>(
                new CommandDefinition("SELECT COUNT(*) FROM sandboxes WHERE tenant_id = @id", new { id }, tx, cancellationToken: ct));
            if (sandboxes > 0)
            {
                return TenantDeleteOutcome.HasSandboxes;
            }

            var snapshots = await connection.ExecuteScalarAsync<long>(
                new CommandDefinition("SELECT COUNT(*) FROM snapshots WHERE tenant_id = @id", new { id }, tx, cancellationToken: ct));
            if (snapshots > 0)
            {
                return TenantDeleteOutcome.HasSnapshots;
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM api_keys WHERE tenant_id = @id", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM tenant_images WHERE tenant_id = @id", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM tenant_secrets WHERE tenant_id = @id", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM tenants WHERE id = @id", new { id }, tx, cancellationToken: ct));
            return TenantDeleteOutcome.Deleted;
        }, ct);
}
