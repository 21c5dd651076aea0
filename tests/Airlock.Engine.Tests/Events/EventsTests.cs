using Airlock.Engine.Events;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Events;

[Trait("Category", "Integration")]
public sealed class EventsTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Events_filtered_by_label_report_start_then_die_with_the_exit_code(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        await using var other = e.Scope();
        using var subscription = await e.Client.Events.SubscribeAsync(new EventFilter(Labels: [scope.CaseFilter], Types: ["container"], Actions: ["start", "die"]), Ct);

        await other.RunAsync(TestEngine.Container("true"));
        var id = await scope.StartAsync(TestEngine.Script("exit 3"));

        var received = new List<EngineEvent>();
        await foreach (var ev in subscription.ReadAsync(Ct))
        {
            received.Add(ev);
            if (ev.Action == "die")
            {
                break;
            }
        }

        received.Select(ev => ev.Action).ShouldBe(["start", "die"]);
        received.ShouldAllBe(ev => ev.Id == id && ev.Type == "container");
        received[1].Attribute("exitCode").ShouldBe("3");
        received[1].Attribute(TestEngine.CaseLabel).ShouldBe(scope.CaseId);
        received[1].Time.ShouldBeGreaterThan(0);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Events_filtered_by_action_leave_out_other_actions(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var subscription = await e.Client.Events.SubscribeAsync(new EventFilter(Labels: [scope.CaseFilter], Actions: ["die"]), Ct);

        var id = await scope.StartAsync(TestEngine.Script("exit 0"));

        await using var events = subscription.ReadAsync(Ct).GetAsyncEnumerator(Ct);
        (await events.MoveNextAsync()).ShouldBeTrue();
        events.Current.Action.ShouldBe("die");
        events.Current.Id.ShouldBe(id);
        events.Current.Attribute("exitCode").ShouldBe("0");
    }
}
