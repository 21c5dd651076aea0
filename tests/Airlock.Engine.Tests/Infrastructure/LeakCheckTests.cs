namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>Runs alone after every parallel collection has finished (that is what DisableParallelization does).</summary>
[CollectionDefinition(nameof(LeakCheckCollection), DisableParallelization = true)]
public sealed class LeakCheckCollection;

/// <summary>
/// The run's own leak check, as a test so a leak counts as a failed test. EngineFixture.DisposeAsync checks once more
/// when the assembly is done, for runs filtered so this test is not among them.
/// </summary>
[Collection(nameof(LeakCheckCollection))]
[Trait("Category", "Integration")]
public sealed class LeakCheckTests(EngineFixture fixture)
{
    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task No_test_leaves_containers_or_images_behind(string engine)
    {
        var e = await fixture.ConnectAsync(engine);

        var leftovers = await LeakDetector.RemoveLeftoversAsync(e.Client, e.RunId, [$"{TestEngine.RunLabel}={e.RunId}"], TestContext.Current.CancellationToken);

        leftovers.ShouldBeEmpty($"these were left behind in {engine} (now removed); a test is missing its clean-up");
    }
}
