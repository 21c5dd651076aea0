using Airlock.Server.Audit;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>
/// The append-only audit log. Appends serialise on the <c>audit_head</c> row (locked on PostgreSQL, the write lock on
/// SQLite), so the chain has no forks and no gaps.
/// </summary>
public sealed class AuditStore(Database database)
{
    public Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken ct) =>
        database.InTransactionAsync(async (connection, tx) =>
        {
            var (seq, prev) = await connection.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
                $"SELECT seq, hash FROM audit_head WHERE id = 1{database.ForUpdate}", transaction: tx, cancellationToken: ct));
            var row = new AuditRow
            {
                Seq = seq + 1,
                At = record.At.ToUnixTimeMilliseconds(),
                Actor = record.Actor,
                Tenant_Id = record.TenantId,
                Action = record.Action,
                Target = record.Target,
                Result = record.Result,
                Status = record.Status,
                Prev_Hash = prev,
            };
            row.Hash = row.ComputeHash();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO audit_log (seq, at, actor, tenant_id, action, target, result, status, prev_hash, hash) "
                + "VALUES (@Seq, @At, @Actor, @Tenant_Id, @Action, @Target, @Result, @Status, @Prev_Hash, @Hash)",
                row,
                tx,
                cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE audit_head SET seq = @Seq, hash = @Hash WHERE id = 1", new { row.Seq, row.Hash }, tx, cancellationToken: ct));
            return row.ToEntry();
        }, ct);

    /// <summary>Entries after <paramref name="afterSeq"/>, oldest first; of one tenant, or all when <paramref name="tenantId"/> is null.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? tenantId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var sql = $"SELECT {AuditRow.Columns} FROM audit_log WHERE seq > @afterSeq" + (tenantId is null ? "" : " AND tenant_id = @tenantId") + " ORDER BY seq LIMIT @limit";
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, new { afterSeq, tenantId, limit }, cancellationToken: ct));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    /// <summary>Walks the whole chain: every entry's hash must match its fields and its predecessor, and the head must match the last entry.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var expectedPrev = AuditHash.Genesis;
        long expectedSeq = 1, count = 0;
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {AuditRow.Columns} FROM audit_log ORDER BY seq", cancellationToken: ct));
        foreach (var row in rows)
        {
            if (row.Seq != expectedSeq)
            {
                return new AuditVerification(count, expectedSeq, $"entry {expectedSeq} is missing (the next one is {row.Seq})");
            }

            if (row.Prev_Hash != expectedPrev)
            {
                return new AuditVerification(count, row.Seq, $"entry {row.Seq} does not link to entry {row.Seq - 1} (its previous hash differs)");
            }

            if (row.ComputeHash() != row.Hash)
            {
                return new AuditVerification(count, row.Seq, $"entry {row.Seq} was changed after it was written (its fields no longer match its hash)");
            }

            expectedPrev = row.Hash;
            expectedSeq++;
            count++;
        }

        var (headSeq, headHash) = await connection.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, hash FROM audit_head WHERE id = 1", cancellationToken: ct));
        if (headSeq != count || headHash != expectedPrev)
        {
            return new AuditVerification(count, count + 1, $"the log ends at entry {count} but its head says {headSeq}: entries after {count} were removed");
        }

        return new AuditVerification(count, null, null);
    }
}
