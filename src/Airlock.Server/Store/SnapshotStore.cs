using Airlock.Server.Errors;
using Airlock.Server.Snapshots;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>
/// Snapshot rows; every query names the tenant. A new row counts against the tenant's snapshot limit in the
/// transaction that inserts it, with the tenant row locked on PostgreSQL (SQLite's write transaction is exclusive), so
/// concurrent snapshots cannot pass the limit together.
/// </summary>
public sealed class SnapshotStore(Database database, TimeProvider time)
{
    public async Task<SnapshotRecord> InsertCreatingAsync(string id, string tenantId, string name, string sandboxId, string node, string image, int maxPerTenant, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await database.InTransactionAsync(async (connection, tx) =>
            {
                await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    $"SELECT id FROM tenants WHERE id = @tenantId{database.ForUpdate}", new { tenantId }, tx, cancellationToken: ct));
                var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM snapshots WHERE tenant_id = @tenantId", new { tenantId }, tx, cancellationToken: ct));
                if (count >= maxPerTenant)
                {
                    throw new QuotaExceededException($"tenant '{tenantId}' has {count} snapshots, its limit is {maxPerTenant}; delete snapshots it no longer needs");
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO snapshots (id, tenant_id, name, sandbox_id, node, image, state, created_at) VALUES (@id, @tenantId, @name, @sandboxId, @node, @image, @state, @now)",
                    new { id, tenantId, name, sandboxId, node, image, state = SnapshotState.Creating, now },
                    tx,
                    cancellationToken: ct));
            }, ct);
        }
        catch (Exception ex) when (Database.IsUniqueViolation(ex))
        {
            throw ApiException.Conflict($"a snapshot named '{name}' already exists in this tenant; pick another name or delete that snapshot");
        }

        return new SnapshotRecord(id, tenantId, name, sandboxId, node, image, SnapshotState.Creating, DateTimeOffset.FromUnixTimeMilliseconds(now));
    }

    public async Task<bool> SetReadyAsync(string tenantId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE snapshots SET state = @state WHERE tenant_id = @tenantId AND id = @id", new { state = SnapshotState.Ready, tenantId, id }, cancellationToken: ct)) > 0;
    }

    public async Task<SnapshotRecord?> GetAsync(string tenantId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(new CommandDefinition(
            $"SELECT {SnapshotRow.Columns} FROM snapshots WHERE tenant_id = @tenantId AND id = @id", new { tenantId, id }, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <summary>One page of a tenant's snapshots in id (creation) order after <paramref name="after"/>; the id to continue after when more follow.</summary>
    public async Task<(IReadOnlyList<SnapshotRecord> Items, string? NextAfter)> ListAsync(string tenantId, string? after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<SnapshotRow>(new CommandDefinition(
            $"SELECT {SnapshotRow.Columns} FROM snapshots WHERE tenant_id = @tenantId{(after is null ? "" : " AND id > @after")} ORDER BY id LIMIT @take",
            new { tenantId, after, take = limit + 1 },
            cancellationToken: ct))).Select(r => r.ToRecord()).ToList();
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return (rows, more ? rows[^1].Id : null);
    }

    /// <summary>Every tenant's snapshots on one node (for the reconciler).</summary>
    public async Task<IReadOnlyList<SnapshotRecord>> ListOnNodeAsync(string node, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<SnapshotRow>(new CommandDefinition(
            $"SELECT {SnapshotRow.Columns} FROM snapshots WHERE node = @node ORDER BY id", new { node }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> DeleteAsync(string tenantId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM snapshots WHERE tenant_id = @tenantId AND id = @id", new { tenantId, id }, cancellationToken: ct)) > 0;
    }

    private sealed class SnapshotRow
    {
        public const string Columns = "id, tenant_id, name, sandbox_id, node, image, state, created_at";

        public string Id { get; set; } = "";
        public string Tenant_Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Sandbox_Id { get; set; } = "";
        public string Node { get; set; } = "";
        public string Image { get; set; } = "";
        public string State { get; set; } = "";
        public long Created_At { get; set; }

        public SnapshotRecord ToRecord() => new(Id, Tenant_Id, Name, Sandbox_Id, Node, Image, State, DateTimeOffset.FromUnixTimeMilliseconds(Created_At));
    }
}
