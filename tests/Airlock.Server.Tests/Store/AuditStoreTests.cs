using Airlock.Server.Audit;
using Airlock.Server.Store;
using Airlock.Server.Tests.Infrastructure;
using Dapper;

namespace Airlock.Server.Tests.Store;

public sealed class AuditStoreTests
{
    private static async Task<AuditStore> AppendFiveAsync(TestDatabase db)
    {
        var audit = new AuditStore(db.Database);
        for (var i = 1; i <= 5; i++)
        {
            await audit.AppendAsync(new AuditRecord(DateTimeOffset.UtcNow, $"k{i}", "t", "POST /v1/sandboxes", $"id=sb{i}", "ok", 201), Ct);
        }

        return audit;
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_untouched_chain_verifies(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var audit = await AppendFiveAsync(db);

        var result = await audit.VerifyAsync(Ct);

        result.Intact.ShouldBeTrue(result.Problem);
        result.Checked.ShouldBe(5);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Editing_an_entry_breaks_the_chain_at_that_entry(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var audit = await AppendFiveAsync(db);
        await using (var connection = await db.Database.OpenAsync(Ct))
        {
            await connection.ExecuteAsync("UPDATE audit_log SET result = 'refused' WHERE seq = 3");
        }

        var result = await audit.VerifyAsync(Ct);

        result.Intact.ShouldBeFalse();
        result.BrokenSeq.ShouldBe(3);
        result.Problem!.ShouldContain("changed");
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Removing_entries_is_detected_in_the_middle_and_at_the_end(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var audit = await AppendFiveAsync(db);
        await using var connection = await db.Database.OpenAsync(Ct);
        await connection.ExecuteAsync("DELETE FROM audit_log WHERE seq = 5");
        (await audit.VerifyAsync(Ct)).BrokenSeq.ShouldBe(5);

        await connection.ExecuteAsync("DELETE FROM audit_log WHERE seq = 2");
        (await audit.VerifyAsync(Ct)).BrokenSeq.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Concurrent_appends_form_one_unbroken_chain(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var audit = new AuditStore(db.Database);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() =>
            audit.AppendAsync(new AuditRecord(DateTimeOffset.UtcNow, $"k{i}", null, "DELETE /v1/x", null, "ok", 204), Ct))));

        var result = await audit.VerifyAsync(Ct);
        result.Intact.ShouldBeTrue(result.Problem);
        result.Checked.ShouldBe(30);
    }
}
