using Dapper;
using Microsoft.Data.Sqlite;

namespace Airlock.Server.Store;

/// <summary>
/// A consistent copy of a SQLite store while servers use it: SQLite's online backup, which reads the database as of one
/// moment (a write that comes meanwhile is in the copy entirely or not at all). The copy is written beside its
/// destination under a temporary name, mode 0600 from its creation, checked with <c>PRAGMA integrity_check</c>, and
/// only then renamed into place, so a failed backup leaves no half-written file under the name asked for.
/// </summary>
public static class SqliteBackup
{
    /// <summary>What a backup copied: where to, how big, and what it holds.</summary>
    public sealed record Result(string Source, string Destination, long Bytes, int SchemaVersion, long Tenants, long Sandboxes);

    public static async Task<Result> CopyAsync(DatabaseTarget source, string destination, bool overwrite, CancellationToken ct)
    {
        if (source.Kind != DatabaseKind.Sqlite || source.SqlitePath is not { } sourcePath)
        {
            throw new BackupException(
                $"{source.Display} is PostgreSQL: airlock backup copies SQLite stores",
                "use PostgreSQL's own tool while the servers run: pg_dump --format=custom --file=airlock.dump 'postgres://USER@HOST/DATABASE' (restore with pg_restore --clean --dbname=...)");
        }

        if (!File.Exists(sourcePath))
        {
            // Opening it would create an empty database where the server's should be.
            throw new BackupException($"there is no database at {sourcePath}", "point --database at the server's SQLite file (default ~/.airlock/server/airlock.db)");
        }

        var target = Path.GetFullPath(destination);
        if (string.Equals(target, sourcePath, StringComparison.Ordinal))
        {
            throw new BackupException($"--to {destination} is the database itself", "write the copy somewhere else, e.g. --to ~/airlock-backup.db");
        }

        var directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
        {
            throw new BackupException($"the directory {directory} does not exist", $"create it first (mkdir -p {directory}), or give another --to");
        }

        if ((File.Exists(target) || Directory.Exists(target)) && !overwrite)
        {
            throw new BackupException($"{target} exists already", "give another --to, or add --force to replace it");
        }

        var partial = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            // Created 0600 with nothing in it before SQLite opens it (the copy holds key hashes and sealed secrets), and
            // with that mode from the start: a file chmod-ed after its creation could be opened by anyone meanwhile.
            PrivateFiles.CreateFile(partial);

            var copyConnection = new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
            var readConnection = new SqliteConnectionStringBuilder(source.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            Result result;
            await using (var from = new SqliteConnection(readConnection))
            await using (var to = new SqliteConnection(copyConnection))
            {
                await from.OpenAsync(ct);
                await to.OpenAsync(ct);
                from.BackupDatabase(to);
                var integrity = await to.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA integrity_check", cancellationToken: ct));
                if (integrity != "ok")
                {
                    throw new BackupException($"the copy of {sourcePath} did not pass SQLite's integrity check ({integrity})", "check the disk the database is on, then try again");
                }

                var version = await TableExistsAsync(to, "schema_version", ct)
                    ? await to.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT MAX(version) FROM schema_version", cancellationToken: ct)) ?? 0
                    : 0;
                if (version == 0)
                {
                    throw new BackupException($"{sourcePath} has no Airlock schema", "point --database at the server's SQLite file (default ~/.airlock/server/airlock.db)");
                }

                // The copy keeps no write-ahead log beside it: one file is the whole backup.
                await to.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = DELETE", cancellationToken: ct));
                result = new Result(sourcePath, target, 0, version, await CountAsync(to, "tenants", ct), await CountAsync(to, "sandboxes", ct));
            }

            File.Move(partial, target, overwrite);
            return result with { Bytes = new FileInfo(target).Length };
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static async Task<bool> TableExistsAsync(SqliteConnection connection, string table, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table", new { table }, cancellationToken: ct)) > 0;

    private static async Task<long> CountAsync(SqliteConnection connection, string table, CancellationToken ct) =>
        await TableExistsAsync(connection, table, ct) ? await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {table}", cancellationToken: ct)) : 0;
}

/// <summary>A backup that could not be made, and what to do about it.</summary>
public sealed class BackupException(string message, string howToFix) : Exception(message)
{
    public string HowToFix { get; } = howToFix;
}
