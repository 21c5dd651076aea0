using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Airlock.Server.Store;

/// <summary>
/// Opens connections to the server's database, SQLite or PostgreSQL, and runs units of work in transactions. The SQL
/// the stores write is the subset both speak (named @parameters, ON CONFLICT, RETURNING); the few differences are here.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private int _sqlitePrepared;

    public Database(DatabaseTarget target)
    {
        Target = target;
        if (target.Kind == DatabaseKind.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(target.ConnectionString);
        }
    }

    public DatabaseTarget Target { get; }

    public DatabaseKind Kind => Target.Kind;

    /// <summary>Appended to a SELECT that must lock its rows until the transaction ends; SQLite's write transactions lock the whole file instead.</summary>
    public string ForUpdate => Kind == DatabaseKind.Postgres ? " FOR UPDATE" : "";

    /// <summary><c>column IN (list)</c> for a list parameter: an array compared with ANY on PostgreSQL, Dapper's list expansion on SQLite.</summary>
    public string InList(string column, string parameter) =>
        Kind == DatabaseKind.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            if (_postgres is not null)
            {
                return await _postgres.OpenConnectionAsync(ct);
            }

            PrepareSqliteFile();
            var connection = new SqliteConnection(Target.ConnectionString);
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (NpgsqlException ex) when (ex.InnerException is SocketException or TimeoutException || ex is PostgresException { SqlState: "28P01" or "3D000" or "28000" })
        {
            throw new StoreUnavailableException(
                $"cannot open the database {Target.Display}: {ex.Message}",
                "check that PostgreSQL runs and the URL's user, password and database are right (scripts/setup-postgres.sh starts a local one)",
                ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && _postgres is null)
        {
            throw new StoreUnavailableException(
                $"cannot prepare the database file {Target.Display}: {ex.Message}",
                "check that its directory exists and belongs to the user running airlock serve (the file and its directory are kept private to that user)",
                ex);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(
                $"cannot open the database {Target.Display}: {ex.Message}",
                "check that the file's directory exists and is writable, or pass --database with another path",
                ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: committed when it returns, rolled back when it throws. On SQLite
    /// the transaction takes the write lock at its start (BEGIN IMMEDIATE), so read-then-write never deadlocks.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(ct);
        return result;
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct) =>
        InTransactionAsync<bool>(async (c, t) => { await work(c, t); return true; }, ct);

    /// <summary>True when <paramref name="ex"/> is a unique-constraint violation (a name already taken).</summary>
    public static bool IsUniqueViolation(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException lite => lite.SqliteErrorCode == 19 && lite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>
    /// SQLite: the file is made 0600 before SQLite opens it (SQLite gives its WAL and shared-memory files the same mode),
    /// one an older airlock left wider is narrowed, a missing directory is made 0700; WAL lets readers go on while one
    /// request writes.
    /// </summary>
    private void PrepareSqliteFile()
    {
        if (Volatile.Read(ref _sqlitePrepared) == 1)
        {
            return;
        }

        var path = Target.SqlitePath!;
        PrivateFiles.CreateFile(path);
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            PrivateFiles.Narrow(file);
        }

        using (var connection = new SqliteConnection(Target.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
        }

        Volatile.Write(ref _sqlitePrepared, 1);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
