using Airlock.Engine.Events;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class RunToCompletionTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Run_to_completion_returns_the_exit_code_and_removes_the_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();

        var result = await e.Client.Containers.RunToCompletionAsync(TestEngine.Script("exit 9") with { Labels = scope.Labels }, Ct);

        result.ExitCode.ShouldBe(9);
        result.Total.ShouldBeGreaterThan(TimeSpan.Zero);
        (await e.Client.Containers.TryInspectAsync(result.ContainerId, Ct)).ShouldBeNull();
        (await e.Client.Containers.ListAsync([scope.CaseFilter], ct: Ct)).ShouldBeEmpty();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Run_to_completion_cancelled_while_running_still_removes_the_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var events = await e.Client.Events.SubscribeAsync(new EventFilter(Labels: [scope.CaseFilter], Actions: ["start"]), Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = e.Client.Containers.RunToCompletionAsync(TestEngine.Container("sleep", "infinity") with { Init = true, Labels = scope.Labels }, cancel.Token);
        await using (var started = events.ReadAsync(Ct).GetAsyncEnumerator(Ct))
        {
            (await started.MoveNextAsync()).ShouldBeTrue();
        }

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => run);
        (await e.Client.Containers.ListAsync([scope.CaseFilter], ct: Ct)).ShouldBeEmpty();
    }
}
