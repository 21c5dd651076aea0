using Airlock.Server.Store;
using Airlock.Server.Store.Migrations;
using Npgsql;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>
/// A database of one test's own: a SQLite file in a temp dir, or a fresh schema in the test PostgreSQL
/// (AIRLOCK_TEST_POSTGRES, default the one scripts/setup-postgres.sh makes). Removed when disposed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "AIRLOCK_TEST_POSTGRES";
    public const string DefaultPostgres = "postgres://airlock:airlock@127.0.0.1:5433/airlock_test";

    private readonly string? _dir;
    private readonly string? _schema;
    private readonly string? _adminConnection;

    private TestDatabase(DatabaseTarget target, string? dir, string? schema, string? adminConnection)
    {
        Target = target;
        _dir = dir;
        _schema = schema;
        _adminConnection = adminConnection;
        Database = new Database(target);
    }

    public DatabaseTarget Target { get; }

    public Database Database { get; }

    /// <summary>What <c>--database</c> would be given to reach this database.</summary>
    public string Url { get; private init; } = "";

    public static async Task<TestDatabase> CreateAsync(string kind)
    {
        if (kind == Stores.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "airlock-server-test-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "airlock.db");
            return new TestDatabase(DatabaseTarget.Sqlite(path), dir, null, null) { Url = path };
        }

        var url = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } u ? u : DefaultPostgres;
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        var admin = DatabaseTarget.Parse(url, "unused");
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"the test PostgreSQL at {admin.Display} is not reachable ({ex.Message}): run 'sudo scripts/setup-postgres.sh' (scripts/test.sh does), or point {PostgresVariable} at one",
                ex);
        }

        var withSchema = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;
        return new TestDatabase(DatabaseTarget.Parse(withSchema, "unused"), null, schema, admin.ConnectionString) { Url = withSchema };
    }

    /// <summary>A database already migrated to the latest schema.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(string kind)
    {
        var db = await CreateAsync(kind);
        await new Migrator(db.Database, TimeProvider.System).UpAsync(CancellationToken.None);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_dir is not null)
        {
            Directory.Delete(_dir, recursive: true);
        }

        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
