using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Airlock.Server.Store.Migrations;

/// <summary>
/// Versioned schema migrations embedded in the assembly (<c>NNNN_name.up.sql</c> / <c>.down.sql</c>), applied one per
/// transaction (both databases have transactional DDL) and recorded in <c>schema_version</c>.
/// </summary>
public sealed partial class Migrator(Database database, TimeProvider time)
{
    private const string Prefix = "Airlock.Server.Migrations.";

    public static IReadOnlyList<Migration> All { get; } = Load();

    public static int Latest => All.Count == 0 ? 0 : All[^1].Version;

    /// <summary>The version the database is at (0: empty).</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await EnsureVersionTableAsync(connection, null);
        return await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version") ?? 0;
    }

    /// <summary>Applies every pending migration; returns the versions applied. Refuses a database newer than this binary.</summary>
    public async Task<IReadOnlyList<Migration>> UpAsync(CancellationToken ct)
    {
        var applied = new List<Migration>();
        foreach (var migration in All)
        {
            var done = await database.InTransactionAsync(async (connection, tx) =>
            {
                await LockAsync(connection, tx);
                var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version", transaction: tx) ?? 0;
                if (current > Latest)
                {
                    throw new SchemaTooNewException(current, Latest, database.Target.Display);
                }

                if (current >= migration.Version)
                {
                    return false;
                }

                await connection.ExecuteAsync(migration.Up, transaction: tx);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = time.GetUtcNow().ToUnixTimeMilliseconds() },
                    tx);
                return true;
            }, ct);
            if (done)
            {
                applied.Add(migration);
            }
        }

        return applied;
    }

    /// <summary>Reverts the latest applied migration; returns it, or null when the database is empty.</summary>
    public Task<Migration?> DownAsync(CancellationToken ct) =>
        database.InTransactionAsync<Migration?>(async (connection, tx) =>
        {
            await LockAsync(connection, tx);
            var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version", transaction: tx) ?? 0;
            if (current == 0)
            {
                return null;
            }

            var migration = All.SingleOrDefault(m => m.Version == current) ?? throw new SchemaTooNewException(current, Latest, database.Target.Display);
            await connection.ExecuteAsync(migration.Down, transaction: tx);
            await connection.ExecuteAsync("DELETE FROM schema_version WHERE version = @Version", new { migration.Version }, tx);
            return migration;
        }, ct);

    /// <summary>Two servers starting at once must not both apply a migration: PostgreSQL takes an advisory lock, SQLite's write transaction is already exclusive.</summary>
    private async Task LockAsync(DbConnection connection, DbTransaction tx)
    {
        await EnsureVersionTableAsync(connection, tx);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(7420001)", transaction: tx);
        }
    }

    private static Task EnsureVersionTableAsync(DbConnection connection, DbTransaction? tx) =>
        connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: tx);

    private static List<Migration> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var byVersion = new SortedDictionary<int, (string Name, string? Up, string? Down)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var match = FileName().Match(resource[Prefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"embedded migration '{resource}' is not named NNNN_name.up.sql or NNNN_name.down.sql");
            }

            var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            var sql = Read(assembly, resource);
            var entry = byVersion.GetValueOrDefault(version, (match.Groups["name"].Value, null, null));
            byVersion[version] = match.Groups["direction"].Value == "up" ? entry with { Up = sql } : entry with { Down = sql };
        }

        var list = new List<Migration>();
        var expected = 1;
        foreach (var (version, (name, up, down)) in byVersion)
        {
            if (version != expected++ || up is null || down is null)
            {
                throw new InvalidOperationException($"migration {version} ({name}) is out of sequence or lacks its up or down script");
            }

            list.Add(new Migration(version, name, up, down));
        }

        return list;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.(?<direction>up|down)\.sql$")]
    private static partial Regex FileName();
}
