using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Airlock.Server.Tenants;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Store;

public sealed class SandboxStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Another_tenants_sandbox_is_not_found_even_by_id(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var tenants = new TenantStore(db.Database, TimeProvider.System);
        var sandboxes = new SandboxStore(db.Database, TimeProvider.System);
        await tenants.CreateAsync("a", "a", "standard", TenantQuota.Default, Ct);
        await tenants.CreateAsync("b", "b", "standard", TenantQuota.Default, Ct);
        var mine = await sandboxes.InsertCreatingAsync(SandboxIds.New(TimeProvider.System), "a", "x", "img", "{}", "local", 100, 100, new Dictionary<string, string>(), Ct);

        (await sandboxes.GetAsync("b", mine.Id, Ct)).ShouldBeNull();
        (await sandboxes.SetStateAsync("b", mine.Id, SandboxState.Stopped, ct: Ct)).ShouldBeFalse();
        (await sandboxes.DeleteAsync("b", mine.Id, Ct)).ShouldBeFalse();
        (await sandboxes.ListAsync("b", null, 10, null, [], Ct)).Items.ShouldBeEmpty();
        (await sandboxes.GetAsync("a", mine.Id, Ct))!.State.ShouldBe(SandboxState.Creating);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Listing_pages_in_creation_order_and_filters_by_state_and_label(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var tenants = new TenantStore(db.Database, TimeProvider.System);
        var sandboxes = new SandboxStore(db.Database, TimeProvider.System);
        await tenants.CreateAsync("t", "t", "standard", TenantQuota.Default, Ct);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var labels = new Dictionary<string, string> { ["team"] = i % 2 == 0 ? "red" : "blue", ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var created = await sandboxes.InsertCreatingAsync(SandboxIds.New(TimeProvider.System), "t", $"s{i}", "img", "{}", "local", 1, 1, labels, Ct);
            ids.Add(created.Id);
            if (i < 3)
            {
                await sandboxes.SetStateAsync("t", created.Id, SandboxState.Running, containerId: "c" + i, ct: Ct);
            }
        }

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await sandboxes.ListAsync("t", after, 3, null, [], Ct);
            page.Items.Count.ShouldBeLessThanOrEqualTo(3);
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.NextAfter;
        }
        while (after is not null);

        seen.ShouldBe(ids.Order(StringComparer.Ordinal).ToList());
        (await sandboxes.ListAsync("t", null, 50, SandboxState.Running, [], Ct)).Items.Select(s => s.Name).ShouldBe(["s0", "s1", "s2"], ignoreOrder: true);
        var red = await sandboxes.ListAsync("t", null, 50, null, [new("team", "red")], Ct);
        red.Items.Select(s => s.Name).ShouldBe(["s0", "s2", "s4", "s6"], ignoreOrder: true);
        red.Items.ShouldAllBe(s => s.Labels["team"] == "red");
        (await sandboxes.ListAsync("t", null, 50, SandboxState.Running, [new("team", "blue"), new("n", "1")], Ct)).Items.Single().Name.ShouldBe("s1");
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_reconcilers_view_lists_every_tenants_sandboxes_of_one_node_by_state(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var tenants = new TenantStore(db.Database, TimeProvider.System);
        var sandboxes = new SandboxStore(db.Database, TimeProvider.System);
        await tenants.CreateAsync("a", "a", "standard", TenantQuota.Default, Ct);
        await tenants.CreateAsync("b", "b", "standard", TenantQuota.Default, Ct);
        var a = await sandboxes.InsertCreatingAsync(SandboxIds.New(TimeProvider.System), "a", "x", "img", "{}", "n1", 1, 1, new Dictionary<string, string>(), Ct);
        var b = await sandboxes.InsertCreatingAsync(SandboxIds.New(TimeProvider.System), "b", "x", "img", "{}", "n1", 1, 1, new Dictionary<string, string>(), Ct);
        await sandboxes.InsertCreatingAsync(SandboxIds.New(TimeProvider.System), "b", "y", "img", "{}", "n2", 1, 1, new Dictionary<string, string>(), Ct);
        await sandboxes.SetStateAsync("b", b.Id, SandboxState.Running, containerId: "c", ct: Ct);

        (await sandboxes.ListOnNodeAsync("n1", null, Ct)).Select(s => s.Id).ShouldBe([a.Id, b.Id], ignoreOrder: true);
        (await sandboxes.ListOnNodeAsync("n1", [SandboxState.Creating, SandboxState.Deleting], Ct)).Single().Id.ShouldBe(a.Id);
    }
}
