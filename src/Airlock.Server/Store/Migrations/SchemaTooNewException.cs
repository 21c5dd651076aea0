namespace Airlock.Server.Store.Migrations;

/// <summary>The database was migrated by a newer Airlock than this one.</summary>
public sealed class SchemaTooNewException(int current, int latest, string database)
    : Exception($"the database {database} is at schema version {current}, but this airlock knows versions up to {latest}")
{
    public string HowToFix => "run the newer airlock that migrated it, or revert it with that version's `airlock migrate down`";
}
