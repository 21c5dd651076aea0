namespace Airlock.Server.Store;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
