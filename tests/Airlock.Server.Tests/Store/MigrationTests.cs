using Airlock.Server.Store.Migrations;
using Airlock.Server.Tests.Infrastructure;
using Dapper;

namespace Airlock.Server.Tests.Store;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Up_applies_every_migration_once_down_reverts_it_and_up_applies_it_again(string store)
    {
        await using var db = await TestDatabase.CreateAsync(store);
        var migrator = new Migrator(db.Database, TimeProvider.System);
        (await migrator.CurrentVersionAsync(Ct)).ShouldBe(0);

        (await migrator.UpAsync(Ct)).Select(m => m.Version).ShouldBe(Enumerable.Range(1, Migrator.Latest));
        (await migrator.CurrentVersionAsync(Ct)).ShouldBe(Migrator.Latest);
        (await migrator.UpAsync(Ct)).ShouldBeEmpty();

        await using (var connection = await db.Database.OpenAsync(Ct))
        {
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants")).ShouldBe(0);
        }

        (await migrator.DownAsync(Ct))!.Version.ShouldBe(Migrator.Latest);
        (await migrator.CurrentVersionAsync(Ct)).ShouldBe(Migrator.Latest - 1);
        if (Migrator.Latest == 1)
        {
            await using var connection = await db.Database.OpenAsync(Ct);
            await Should.ThrowAsync<Exception>(() => connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants"));
        }

        (await migrator.UpAsync(Ct)).Count.ShouldBe(1);
        (await migrator.CurrentVersionAsync(Ct)).ShouldBe(Migrator.Latest);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_database_newer_than_the_binary_is_refused(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        await using (var connection = await db.Database.OpenAsync(Ct))
        {
            await connection.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)");
        }

        var ex = await Should.ThrowAsync<SchemaTooNewException>(() => new Migrator(db.Database, TimeProvider.System).UpAsync(Ct));
        ex.Message.ShouldContain("999");
    }

    [Fact]
    public void Every_migration_has_up_and_down_in_sequence()
    {
        Migrator.All.Select(m => m.Version).ShouldBe(Enumerable.Range(1, Migrator.All.Count));
        Migrator.All.ShouldAllBe(m => m.Up.Length > 0 && m.Down.Length > 0);
    }
}
