using Airlock.Engine.Containers;
using Airlock.Engine.Identity;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class StatsTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Stats_one_shot_reports_memory_cpu_and_pids_of_a_running_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        const long limit = 96L * 1024 * 1024;
        var id = await scope.StartIdleAsync(TestEngine.Container("sleep", "infinity") with { Limits = new ResourceLimits(MemoryBytes: limit, PidsLimit: 50) });

        var stats = await e.Client.Containers.StatsAsync(id, Ct);

        stats.Read.ShouldNotBeNullOrWhiteSpace();
        stats.MemoryStats.Usage.ShouldBeGreaterThan(0UL);
        stats.MemoryStats.Limit.ShouldBe((ulong)limit);
        stats.PidsStats.Current.ShouldBeInRange(1UL, 5UL, "init and sleep");
        if (e.Kind == EngineKind.Docker)
        {
            // podman's compat stats leave pids_stats.limit out (podman 4.3); the limit itself is enforced (ResourceLimitsTests).
            stats.PidsStats.Limit.ShouldBe(50UL);
        }

        stats.CpuStats.CpuUsage.TotalUsage.ShouldBeGreaterThan(0UL);
    }
}
