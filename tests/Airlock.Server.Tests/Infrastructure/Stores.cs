namespace Airlock.Server.Tests.Infrastructure;

/// <summary>The databases every store test runs on: the same test on SQLite and on the real PostgreSQL.</summary>
public static class Stores
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> Both => new() { Sqlite, Postgres };

    /// <summary>Each engine on each store, (engine, store): for what a test proves across both.</summary>
    public static TheoryData<string, string> WithEachEngine => new()
    {
        { TestEngines.Podman, Sqlite },
        { TestEngines.Docker, Sqlite },
        { TestEngines.Podman, Postgres },
        { TestEngines.Docker, Postgres },
    };
}
