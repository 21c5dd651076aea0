namespace Airlock.Server.Tests.Infrastructure;

/// <summary>The databases every store test runs on: the same test on SQLite and on the real PostgreSQL.</summary>
public static class Stores
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> Both => new() { Sqlite, Postgres };
}
