using System.Data.Common;
using System.Globalization;
using System.Text;
using Airlock.Server.Sandboxes;
using Airlock.Server.Secrets;
using Airlock.Server.Tenants;
using Dapper;

namespace Airlock.Server.Store;

/// <summary>
/// Sandbox rows. Every query names the tenant, so one tenant's id never reaches another's row. Creating a row reserves
/// the tenant's quota in the same transaction, with a conditional UPDATE of the tenant row: on PostgreSQL the row lock
/// makes concurrent reservations re-check the condition one after the other; on SQLite the write transaction is
/// exclusive. Either way two creates can never both take the last slot.
/// </summary>
public sealed class SandboxStore(Database database, TimeProvider time)
{
    /// <summary>Writes a new sandbox in state <c>creating</c> and reserves its resources; throws when over quota or the name is taken.</summary>
    public Task<SandboxRecord> InsertCreatingAsync(
        string id, string tenantId, string name, string image, string spec, string node, long cpuMillis, long memoryBytes,
        IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        InsertCreatingAsync(id, tenantId, name, image, spec, node, cpuMillis, memoryBytes, labels, null, null, ct);

    /// <summary>
    /// As the other overload, with the sandbox's <paramref name="secrets"/> and its <paramref name="lifetime"/> written in
    /// the same transaction (so a sandbox acknowledged with a timeout always has it, whatever happens to this server).
    /// </summary>
    public async Task<SandboxRecord> InsertCreatingAsync(
        string id, string tenantId, string name, string image, string spec, string node, long cpuMillis, long memoryBytes,
        IReadOnlyDictionary<string, string> labels, SealedSandboxSecrets? secrets, LifetimeRequest? lifetime, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long? expiresAt = lifetime?.Timeout is { } timeout ? now + (long)timeout.TotalMilliseconds : null;
        long? idleMs = lifetime?.IdleTimeout is { } idle ? (long)idle.TotalMilliseconds : null;
        try
        {
            await database.InTransactionAsync(async (connection, tx) =>
            {
                var reserved = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE tenants SET used_sandboxes = used_sandboxes + 1, used_cpu_millis = used_cpu_millis + @cpuMillis, "
                    + "used_memory_bytes = used_memory_bytes + @memoryBytes "
                    + "WHERE id = @tenantId AND used_sandboxes + 1 <= max_sandboxes AND used_cpu_millis + @cpuMillis <= max_cpu_millis "
                    + "AND used_memory_bytes + @memoryBytes <= max_memory_bytes",
                    new { tenantId, cpuMillis, memoryBytes },
                    tx,
                    cancellationToken: ct));
                if (reserved == 0)
                {
                    throw await DescribeQuotaFailureAsync(connection, tx, tenantId, cpuMillis, memoryBytes, ct)
                        ?? new QuotaExceededException($"tenant '{tenantId}' is at its quota; delete sandboxes or ask for a larger quota");
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO sandboxes (id, tenant_id, name, image, spec, state, node, cpu_millis, memory_bytes, created_at, updated_at, "
                    + "expires_at, on_timeout, idle_timeout_ms, last_active_at) "
                    + "VALUES (@id, @tenantId, @name, @image, @spec, @state, @node, @cpuMillis, @memoryBytes, @now, @now, @expiresAt, @onTimeout, @idleMs, @now)",
                    new { id, tenantId, name, image, spec, state = SandboxState.Creating, node, cpuMillis, memoryBytes, now, expiresAt, onTimeout = lifetime?.OnTimeout, idleMs },
                    tx,
                    cancellationToken: ct));
                foreach (var (key, value) in labels)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO sandbox_labels (sandbox_id, key, value) VALUES (@id, @key, @value)", new { id, key, value }, tx, cancellationToken: ct));
                }

                if (secrets is not null)
                {
                    await InsertSecretsAsync(connection, tx, id, tenantId, secrets, ct);
                }
            }, ct);
        }
        catch (Exception ex) when (Database.IsUniqueViolation(ex))
        {
            throw new NameTakenException(name);
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
        return new SandboxRecord(id, tenantId, name, image, SandboxState.Creating, node, null, cpuMillis, memoryBytes, null, null, labels, spec, at, at)
        {
            Lifetime = lifetime is null ? null : new SandboxLifetime(
                expiresAt is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null, lifetime.OnTimeout, lifetime.IdleTimeout, at),
        };
    }

    private static async Task InsertSecretsAsync(DbConnection connection, DbTransaction tx, string id, string tenantId, SealedSandboxSecrets secrets, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sandbox_authorities (sandbox_id, tenant_id, key_id, authority) VALUES (@id, @tenantId, @keyId, @authority)",
            new { id, tenantId, keyId = secrets.KeyId, authority = secrets.Authority },
            tx,
            cancellationToken: ct));
        foreach (var binding in secrets.Bindings)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sandbox_secrets (sandbox_id, tenant_id, name, variable, placeholder) VALUES (@id, @tenantId, @name, @variable, @placeholder)",
                new { id, tenantId, name = binding.Name, variable = binding.Variable, placeholder = binding.Placeholder },
                tx,
                cancellationToken: ct));
        }
    }

    /// <summary>
    /// Throws as <see cref="InsertCreatingAsync"/> would when the tenant has no room for the sandbox now: checked before
    /// slow work such as a template build, so a tenant at its quota cannot make the server build. The insert checks again.
    /// </summary>
    public Task CheckQuotaAsync(string tenantId, long cpuMillis, long memoryBytes, CancellationToken ct) =>
        database.InTransactionAsync(
            async (connection, tx) =>
            {
                if (await DescribeQuotaFailureAsync(connection, tx, tenantId, cpuMillis, memoryBytes, ct) is { } failure)
                {
                    throw failure;
                }
            },
            ct);

    /// <summary>Why the tenant has no room for the sandbox, or null when it has.</summary>
    private static async Task<QuotaExceededException?> DescribeQuotaFailureAsync(
        DbConnection connection, DbTransaction tx, string tenantId, long cpuMillis, long memoryBytes, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            $"SELECT {TenantRow.Columns} FROM tenants WHERE id = @tenantId", new { tenantId }, tx, cancellationToken: ct));
        if (row is null)
        {
            return new QuotaExceededException($"tenant '{tenantId}' does not exist any more");
        }

        var t = row.ToTenant();
        var parts = new List<string>();
        if (t.Usage.Sandboxes + 1 > t.Quota.MaxSandboxes)
        {
            parts.Add($"sandboxes: {t.Usage.Sandboxes} of {t.Quota.MaxSandboxes} in use");
        }

        if (t.Usage.CpuMillis + cpuMillis > t.Quota.MaxCpuMillis)
        {
            parts.Add($"cpus: {Cpus(t.Usage.CpuMillis)} of {Cpus(t.Quota.MaxCpuMillis)} in use, {Cpus(cpuMillis)} asked");
        }

        if (t.Usage.MemoryBytes + memoryBytes > t.Quota.MaxMemoryBytes)
        {
            parts.Add($"memory: {t.Usage.MemoryBytes} of {t.Quota.MaxMemoryBytes} bytes in use, {memoryBytes} asked");
        }

        return parts.Count == 0
            ? null
            : new QuotaExceededException($"tenant '{tenantId}' is at its quota ({string.Join("; ", parts)}); delete sandboxes or ask for a larger quota");
    }

    private static string Cpus(long millis) => (millis / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// Moves a sandbox to <paramref name="state"/>; with <paramref name="fromStates"/>, only from one of them. False when no
    /// row changed. <paramref name="clearExpiry"/> ends its timeout in the same write (a sandbox its timeout stopped).
    /// </summary>
    public async Task<bool> SetStateAsync(
        string tenantId, string id, string state, IReadOnlyCollection<string>? fromStates = null, string? containerId = null,
        int? exitCode = null, string? error = null, CancellationToken ct = default, bool clearExpiry = false)
    {
        var sql = new StringBuilder("UPDATE sandboxes SET state = @state, updated_at = @now, container_id = COALESCE(@containerId, container_id), "
            + "exit_code = @exitCode, error = @error" + (clearExpiry ? ", expires_at = NULL" : "") + " WHERE tenant_id = @tenantId AND id = @id");
        if (fromStates is { Count: > 0 })
        {
            sql.Append(" AND ").Append(database.InList("state", "fromStates"));
        }

        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            sql.ToString(),
            new { state, now = time.GetUtcNow().ToUnixTimeMilliseconds(), containerId, exitCode = (long?)exitCode, error, tenantId, id, fromStates = fromStates?.ToArray() },
            cancellationToken: ct)) > 0;
    }

    /// <summary>Replaces the stored create request (a changed network); false when there is no such sandbox.</summary>
    public async Task<bool> SetSpecAsync(string tenantId, string id, string spec, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sandboxes SET spec = @spec, updated_at = @now WHERE tenant_id = @tenantId AND id = @id",
            new { spec, now = time.GetUtcNow().ToUnixTimeMilliseconds(), tenantId, id },
            cancellationToken: ct)) > 0;
    }

    /// <summary>Removes the row, its egress records and secrets, and gives its reservation back to the tenant, in one transaction.</summary>
    public Task<bool> DeleteAsync(string tenantId, string id, CancellationToken ct) =>
        database.InTransactionAsync(async (connection, tx) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<SandboxRow>(new CommandDefinition(
                $"SELECT {SandboxRow.Columns} FROM sandboxes WHERE tenant_id = @tenantId AND id = @id{database.ForUpdate}", new { tenantId, id }, tx, cancellationToken: ct));
            if (row is null)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sandbox_labels WHERE sandbox_id = @id", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sandbox_secrets WHERE sandbox_id = @id", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sandbox_authorities WHERE sandbox_id = @id", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM egress_records WHERE tenant_id = @tenantId AND sandbox_id = @id", new { tenantId, id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sandboxes WHERE id = @id", new { id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE tenants SET used_sandboxes = used_sandboxes - 1, used_cpu_millis = used_cpu_millis - @cpu, used_memory_bytes = used_memory_bytes - @memory WHERE id = @tenantId",
                new { tenantId, cpu = row.Cpu_Millis, memory = row.Memory_Bytes },
                tx,
                cancellationToken: ct));
            return true;
        }, ct);

    /// <summary>Moves a sandbox's end to <paramref name="expiresAt"/> (from now on it has a lifetime, stopping by default); false when no row changed.</summary>
    public async Task<bool> SetExpiryAsync(string tenantId, string id, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sandboxes SET expires_at = @expiresAt, on_timeout = COALESCE(on_timeout, @stop), updated_at = @now WHERE tenant_id = @tenantId AND id = @id",
            new { expiresAt = expiresAt.ToUnixTimeMilliseconds(), stop = SandboxLifetime.Stop, now = time.GetUtcNow().ToUnixTimeMilliseconds(), tenantId, id },
            cancellationToken: ct)) > 0;
    }

    /// <summary>
    /// Records that the sandbox was used through the API now (for its idle timeout). Written at most once per
    /// <see cref="SandboxLifetime.TouchInterval"/>, and only for sandboxes that have an idle timeout (the conditions of
    /// <see cref="SandboxLifetime.WantsTouch"/>, checked again here against the row as it is now).
    /// </summary>
    public async Task TouchAsync(string tenantId, string id, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sandboxes SET last_active_at = @now WHERE tenant_id = @tenantId AND id = @id AND idle_timeout_ms IS NOT NULL "
            + "AND (last_active_at IS NULL OR last_active_at < @recent)",
            new { now, recent = now - (long)SandboxLifetime.TouchInterval.TotalMilliseconds, tenantId, id },
            cancellationToken: ct));
    }

    /// <summary>Running or paused sandboxes whose timeout has passed, or running ones idle past their idle timeout, at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<SandboxRecord>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<SandboxRow>(new CommandDefinition(
            $"SELECT {SandboxRow.Columns} FROM sandboxes WHERE on_timeout IS NOT NULL AND ("
            + "(state IN (@running, @paused) AND expires_at IS NOT NULL AND expires_at <= @at) "
            + "OR (state = @running AND idle_timeout_ms IS NOT NULL AND last_active_at + idle_timeout_ms <= @at)) "
            + "ORDER BY id LIMIT @limit",
            new { running = SandboxState.Running, paused = SandboxState.Paused, at, limit },
            cancellationToken: ct))).ToList();
        return rows.Select(r => r.ToRecord(Empty)).ToList();
    }

    public async Task<SandboxRecord?> GetAsync(string tenantId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SandboxRow>(new CommandDefinition(
            $"SELECT {SandboxRow.Columns} FROM sandboxes WHERE tenant_id = @tenantId AND id = @id", new { tenantId, id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var labels = await LabelsAsync(connection, [id], ct);
        return row.ToRecord(labels.GetValueOrDefault(id) ?? Empty);
    }

    /// <summary>One page of a tenant's sandboxes in id order (ids start with their creation time), after <paramref name="after"/>.</summary>
    public async Task<SandboxPage> ListAsync(
        string tenantId, string? after, int limit, string? state, IReadOnlyList<KeyValuePair<string, string>> labels, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT {SandboxRow.Columns} FROM sandboxes s WHERE s.tenant_id = @tenantId");
        var parameters = new DynamicParameters();
        parameters.Add("tenantId", tenantId);
        if (after is not null)
        {
            sql.Append(" AND s.id > @after");
            parameters.Add("after", after);
        }

        if (state is not null)
        {
            sql.Append(" AND s.state = @state");
            parameters.Add("state", state);
        }

        for (var i = 0; i < labels.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM sandbox_labels l WHERE l.sandbox_id = s.id AND l.key = @k{i} AND l.value = @v{i})");
            parameters.Add($"k{i}", labels[i].Key);
            parameters.Add($"v{i}", labels[i].Value);
        }

        sql.Append(" ORDER BY s.id LIMIT @take");
        parameters.Add("take", limit + 1);
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<SandboxRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct))).ToList();
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var allLabels = rows.Count == 0 ? new Dictionary<string, Dictionary<string, string>>() : await LabelsAsync(connection, rows.Select(r => r.Id).ToArray(), ct);
        var items = rows.Select(r => r.ToRecord(allLabels.GetValueOrDefault(r.Id) ?? Empty)).ToList();
        return new SandboxPage(items, more ? items[^1].Id : null);
    }

    /// <summary>
    /// Every tenant's sandboxes on <paramref name="node"/>, optionally only in <paramref name="states"/>: what a reconciler
    /// compares with the engine's containers after a crash (the one query that is not scoped to a tenant).
    /// </summary>
    public async Task<IReadOnlyList<SandboxRecord>> ListOnNodeAsync(string node, IReadOnlyCollection<string>? states, CancellationToken ct)
    {
        var sql = $"SELECT {SandboxRow.Columns} FROM sandboxes WHERE node = @node"
            + (states is { Count: > 0 } ? " AND " + database.InList("state", "states") : "") + " ORDER BY id";
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<SandboxRow>(new CommandDefinition(sql, new { node, states = states?.ToArray() }, cancellationToken: ct))).ToList();
        var labels = rows.Count == 0 ? new Dictionary<string, Dictionary<string, string>>() : await LabelsAsync(connection, rows.Select(r => r.Id).ToArray(), ct);
        return rows.Select(r => r.ToRecord(labels.GetValueOrDefault(r.Id) ?? Empty)).ToList();
    }

    /// <summary>CPU and memory reserved by the sandboxes on each node, and how many of them are <paramref name="tenantId"/>'s (for placement).</summary>
    public async Task<IReadOnlyDictionary<string, NodeUsage>> UsageByNodeAsync(string tenantId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Node, long Cpu, long Memory, long Sandboxes, long TenantSandboxes)>(new CommandDefinition(
            "SELECT node, COALESCE(SUM(cpu_millis), 0), COALESCE(SUM(memory_bytes), 0), COUNT(*), "
            + "COALESCE(SUM(CASE WHEN tenant_id = @tenantId THEN 1 ELSE 0 END), 0) FROM sandboxes GROUP BY node",
            new { tenantId },
            cancellationToken: ct));
        return rows.ToDictionary(r => r.Node, r => new NodeUsage(r.Cpu, r.Memory, r.Sandboxes, r.TenantSandboxes), StringComparer.Ordinal);
    }

    /// <summary>Points a sandbox at a new image (restore from a snapshot) and marks it <c>restoring</c>, only from one of <paramref name="fromStates"/>.</summary>
    public async Task<bool> BeginRestoreAsync(string tenantId, string id, string image, IReadOnlyCollection<string> fromStates, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE sandboxes SET state = @state, image = @image, updated_at = @now, exit_code = NULL, error = NULL WHERE tenant_id = @tenantId AND id = @id AND {database.InList("state", "fromStates")}",
            new { state = SandboxState.Restoring, image, now = time.GetUtcNow().ToUnixTimeMilliseconds(), tenantId, id, fromStates = fromStates.ToArray() },
            cancellationToken: ct)) > 0;
    }

    /// <summary>Whether any of the tenant's sandboxes runs <paramref name="image"/> (a snapshot in use).</summary>
    public async Task<bool> AnyUsesImageAsync(string tenantId, string image, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sandboxes WHERE tenant_id = @tenantId AND image = @image", new { tenantId, image }, cancellationToken: ct)) > 0;
    }

    /// <summary>Sandbox counts by state across all tenants (for /metrics).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM sandboxes GROUP BY state", cancellationToken: ct));
        return rows.ToDictionary(r => r.State, r => r.Count);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private async Task<Dictionary<string, Dictionary<string, string>>> LabelsAsync(DbConnection connection, string[] ids, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(string SandboxId, string Key, string Value)>(new CommandDefinition(
            $"SELECT sandbox_id, key, value FROM sandbox_labels WHERE {database.InList("sandbox_id", "ids")} ORDER BY key", new { ids }, cancellationToken: ct));
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (sandboxId, key, value) in rows)
        {
            if (!result.TryGetValue(sandboxId, out var map))
            {
                result[sandboxId] = map = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            map[key] = value;
        }

        return result;
    }
}
