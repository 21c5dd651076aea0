using Microsoft.Data.Sqlite;
using Npgsql;

namespace Airlock.Server.Store;

/// <summary>
/// Where the server keeps its state: a SQLite file (the default, nothing to set up) or a PostgreSQL database named by a
/// <c>postgres://user:password@host[:port]/database[?sslmode=..&amp;schema=..]</c> URL.
/// </summary>
/// <param name="Display">The target without its password, for logs and messages.</param>
public sealed record DatabaseTarget(DatabaseKind Kind, string ConnectionString, string Display)
{
    public const string Syntax = "a file path, sqlite:///absolute/path.db, or postgres://user:password@host[:port]/database";

    /// <summary>The SQLite file's path (null for PostgreSQL).</summary>
    public string? SqlitePath { get; init; }

    public static DatabaseTarget Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // Also the busy timeout: Microsoft.Data.Sqlite retries a locked database until it passes.
            DefaultTimeout = 30,
        };
        return new DatabaseTarget(DatabaseKind.Sqlite, builder.ToString(), "sqlite://" + full) { SqlitePath = full };
    }

    /// <summary>Parses <paramref name="text"/>; empty means the SQLite file at <paramref name="defaultSqlitePath"/>.</summary>
    public static DatabaseTarget Parse(string? text, string defaultSqlitePath)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Sqlite(defaultSqlitePath);
        }

        text = text.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return ParsePostgres(text);
        }

        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            if (path.Length == 0)
            {
                throw new DatabaseUrlException($"'{text}' names no file; write {Syntax}");
            }

            return Sqlite(path);
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            throw new DatabaseUrlException($"'{Redact(text)}' is not a database Airlock supports; write {Syntax}");
        }

        return Sqlite(text);
    }

    private static DatabaseTarget ParsePostgres(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new DatabaseUrlException($"'{Redact(text)}' is not a valid URL; write {Syntax}");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new DatabaseUrlException($"'{Redact(text)}' names no database; add it as the path: postgres://user:password@host/DATABASE");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
            Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null,
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
            // Enough connections for bursts of concurrent creates; the server's own work is short transactions.
            MaxPoolSize = 50,
        };
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key)
            {
                case "sslmode":
                    if (!Enum.TryParse<SslMode>(value, ignoreCase: true, out var mode))
                    {
                        throw new DatabaseUrlException($"sslmode '{value}' is not one of: {string.Join(", ", Enum.GetNames<SslMode>()).ToLowerInvariant()}");
                    }

                    builder.SslMode = mode;
                    break;
                case "schema" or "search_path":
                    if (!System.Text.RegularExpressions.Regex.IsMatch(value, "^[a-z_][a-z0-9_]{0,62}$"))
                    {
                        throw new DatabaseUrlException($"schema '{value}' is not a plain lower-case identifier");
                    }

                    builder.SearchPath = value;
                    break;
                default:
                    throw new DatabaseUrlException($"'{key}' is not a setting Airlock reads from a postgres:// URL; use sslmode or schema");
            }
        }

        var display = $"postgres://{(builder.Username is { } u ? u + "@" : "")}{builder.Host}:{builder.Port}/{builder.Database}"
            + (builder.SearchPath is { } s ? "?schema=" + s : "");
        return new DatabaseTarget(DatabaseKind.Postgres, builder.ToString(), display);
    }

    /// <summary>The URL without its password, so error messages never echo a secret.</summary>
    private static string Redact(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "://([^:/@]*):[^@]*@", "://$1:***@");

    public override string ToString() => Display;
}
