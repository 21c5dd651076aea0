using Airlock.Server.Store;
using Airlock.Server.Tenants;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Store;

public sealed class QuotaStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Concurrent_creates_never_exceed_the_sandbox_quota(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var tenants = new TenantStore(db.Database, TimeProvider.System);
        var sandboxes = new SandboxStore(db.Database, TimeProvider.System);
        await tenants.CreateAsync("race", "race", "standard", new TenantQuota(5, 1_000_000, 1L << 40), Ct);

        var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            try
            {
                await sandboxes.InsertCreatingAsync(Sandboxes.SandboxIds.New(TimeProvider.System), "race", $"s{i}", "img", "{}", "local", 100, 1000, new Dictionary<string, string>(), Ct);
                return true;
            }
            catch (QuotaExceededException)
            {
                return false;
            }
        })).ToList();
        var results = await Task.WhenAll(attempts);

        results.Count(ok => ok).ShouldBe(5);
        var tenant = (await tenants.GetAsync("race", Ct))!;
        tenant.Usage.ShouldBe(new TenantUsage(5, 500, 5000));
        (await sandboxes.ListAsync("race", null, 100, null, [], Ct)).Items.Count.ShouldBe(5);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Concurrent_creates_never_exceed_the_cpu_and_memory_quota(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var tenants = new TenantStore(db.Database, TimeProvider.System);
        var sandboxes = new SandboxStore(db.Database, TimeProvider.System);
        // 1.5 CPUs and 3 GiB: three 0.5-CPU sandboxes fit by CPU, but only two 1.25 GiB ones fit by memory.
        await tenants.CreateAsync("res", "res", "standard", new TenantQuota(100, 1500, 3L << 30), Ct);
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                await sandboxes.InsertCreatingAsync(Sandboxes.SandboxIds.New(TimeProvider.System), "res", $"s{i}", "img", "{}", "local", 500, 1280L << 20, new Dictionary<string, string>(), Ct);
                return true;
            }
            catch (QuotaExceededException ex)
            {
                ex.Message.ShouldContain("memory");
                return false;
            }
        })));

        results.Count(ok => ok).ShouldBe(2);
        (await tenants.GetAsync("res", Ct))!.Usage.ShouldBe(new TenantUsage(2, 1000, 2560L << 20));
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Deleting_a_sandbox_gives_its_reservation_back(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var tenants = new TenantStore(db.Database, TimeProvider.System);
        var sandboxes = new SandboxStore(db.Database, TimeProvider.System);
        await tenants.CreateAsync("t", "t", "standard", new TenantQuota(1, 1000, 1L << 30), Ct);
        var first = await sandboxes.InsertCreatingAsync(Sandboxes.SandboxIds.New(TimeProvider.System), "t", "a", "img", "{}", "local", 1000, 1L << 30, new Dictionary<string, string>(), Ct);
        await Should.ThrowAsync<QuotaExceededException>(() =>
            sandboxes.InsertCreatingAsync(Sandboxes.SandboxIds.New(TimeProvider.System), "t", "b", "img", "{}", "local", 1000, 1L << 30, new Dictionary<string, string>(), Ct));

        (await sandboxes.DeleteAsync("t", first.Id, Ct)).ShouldBeTrue();

        (await tenants.GetAsync("t", Ct))!.Usage.ShouldBe(new TenantUsage(0, 0, 0));
        await sandboxes.InsertCreatingAsync(Sandboxes.SandboxIds.New(TimeProvider.System), "t", "b", "img", "{}", "local", 1000, 1L << 30, new Dictionary<string, string>(), Ct);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_taken_name_is_refused_and_reserves_nothing(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        var tenants = new TenantStore(db.Database, TimeProvider.System);
        var sandboxes = new SandboxStore(db.Database, TimeProvider.System);
        await tenants.CreateAsync("t", "t", "standard", TenantQuota.Default, Ct);
        await sandboxes.InsertCreatingAsync(Sandboxes.SandboxIds.New(TimeProvider.System), "t", "same", "img", "{}", "local", 100, 100, new Dictionary<string, string>(), Ct);

        await Should.ThrowAsync<NameTakenException>(() =>
            sandboxes.InsertCreatingAsync(Sandboxes.SandboxIds.New(TimeProvider.System), "t", "same", "img", "{}", "local", 100, 100, new Dictionary<string, string>(), Ct));

        (await tenants.GetAsync("t", Ct))!.Usage.Sandboxes.ShouldBe(1);
    }
}
