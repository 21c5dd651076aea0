using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

/// <summary>
/// OCI runtimes other than the engine's default, through the Engine API. <c>airlock-runsc</c> is gVisor as
/// scripts/setup-gvisor.sh registers it on both engines (the isolation level gvisor).
/// </summary>
[Trait("Category", "Integration")]
public sealed class RuntimeTests(EngineFixture fixture)
{
    private const string Gvisor = "airlock-runsc";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_engine_lists_its_runtimes_with_its_default_and_airlocks_gvisor(string engine)
    {
        var e = await fixture.ConnectAsync(engine);

        var runtimes = await e.Client.RuntimesAsync(Ct);

        runtimes.Default.ShouldBe("runc");
        runtimes.Names.ShouldContain("runc");
        runtimes.Names.ShouldContain(Gvisor, "scripts/setup-gvisor.sh registers it; run scripts/setup-engines.sh");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_container_created_under_airlocks_runsc_runs_on_gvisors_kernel(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();

        var id = await scope.CreateAsync(TestEngine.Container("cat", "/proc/version") with { Runtime = Gvisor });
        (await e.Client.Containers.RuntimeOfAsync(id, Ct)).ShouldBe(Gvisor);
        await e.Client.Containers.StartAsync(id, Ct);
        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(0);
        var (stdout, _) = await scope.ReadLogsAsync(id);

        Engines.IsGvisorKernel(stdout).ShouldBeTrue(stdout);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Without_a_runtime_the_engines_default_runs_the_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();

        var id = await scope.CreateAsync(TestEngine.Container("true"));

        (await e.Client.Containers.RuntimeOfAsync(id, Ct)).ShouldBe("runc");
    }
}
