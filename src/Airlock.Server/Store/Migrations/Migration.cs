namespace Airlock.Server.Store.Migrations;

/// <summary>One schema version: the SQL that applies it and the SQL that reverts it.</summary>
public sealed record Migration(int Version, string Name, string Up, string Down);
