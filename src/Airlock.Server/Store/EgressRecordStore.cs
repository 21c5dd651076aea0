using Airlock.Sandboxes.Egress;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>
/// The connections allowlist sandboxes made through their egress proxies. Every read names the tenant, so one tenant's
/// sandbox id never reaches another's records. Each sandbox keeps its latest <see cref="ServerLimits.MaxEgressRecordsPerSandbox"/>.
/// </summary>
public sealed class EgressRecordStore(Database database)
{
    /// <summary>Writes <paramref name="records"/> (tenant, record) in one transaction, then trims each sandbox they belong to.</summary>
    public Task AppendAsync(IReadOnlyList<(string TenantId, EgressRecord Record)> records, CancellationToken ct) =>
        database.InTransactionAsync(async (connection, tx) =>
        {
            foreach (var (tenantId, record) in records)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO egress_records ({EgressRecordRow.Columns}) VALUES (@Id, @Tenant_Id, @Sandbox_Id, @At, @Protocol, @Host, @Port, @Address, @Verdict, @Reason, @Bytes_Up, @Bytes_Down, @Duration_Ms)",
                    EgressRecordRow.From(Egress.EgressRecordIds.New(record.Time), tenantId, record),
                    tx,
                    cancellationToken: ct));
            }

            foreach (var (tenantId, sandboxId) in records.Select(r => (r.TenantId, r.Record.SandboxId)).Distinct())
            {
                // The oldest beyond the limit go (nothing while a sandbox has fewer: the subquery is then empty).
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM egress_records WHERE tenant_id = @tenantId AND sandbox_id = @sandboxId AND id < ("
                    + "SELECT id FROM egress_records WHERE tenant_id = @tenantId AND sandbox_id = @sandboxId ORDER BY id DESC LIMIT 1 OFFSET @keep)",
                    new { tenantId, sandboxId, keep = ServerLimits.MaxEgressRecordsPerSandbox - 1 },
                    tx,
                    cancellationToken: ct));
            }
        }, ct);

    /// <summary>One page of a sandbox's records, oldest first, after the record id <paramref name="after"/>; the id of the page's last record when more may follow.</summary>
    public async Task<(IReadOnlyList<EgressRecord> Items, string? NextAfter)> PageAsync(string tenantId, string sandboxId, string? after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<EgressRecordRow>(new CommandDefinition(
            $"SELECT {EgressRecordRow.Columns} FROM egress_records WHERE tenant_id = @tenantId AND sandbox_id = @sandboxId"
            + (after is null ? "" : " AND id > @after") + " ORDER BY id LIMIT @take",
            new { tenantId, sandboxId, after, take = limit + 1 },
            cancellationToken: ct))).ToList();
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return (rows.Select(r => r.ToRecord()).ToList(), more ? rows[^1].Id : null);
    }
}
