using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>Runs alone, after every parallel collection has finished (that is what DisableParallelization does).</summary>
[CollectionDefinition(nameof(LeakCheckCollection), DisableParallelization = true)]
public sealed class LeakCheckCollection;

/// <summary>
/// The run's own leak check, as a test so a leak counts as a failed test: after the shared namespaces are deleted, no
/// launcher container and no localhost/airlock:it-* image may be left in either engine (or the test user's rootless podman).
/// SharedNamespaces checks once more when the assembly is done, for runs filtered so this test is not among them.
/// </summary>
[Collection(nameof(LeakCheckCollection))]
public sealed class LeakCheckTests(SharedNamespaces shared)
{
    [Fact]
    public async Task No_test_leaves_launcher_containers_or_namespace_images_behind()
    {
        var sharedNames = shared.Made.ToList();
        await shared.TearDownAsync();

        var leaks = await LeakCheck.FindAndRemoveAsync();

        leaks.ShouldBeEmpty(
            LeakCheck.Describe(leaks) + $"{Environment.NewLine}(the shared namespaces were {string.Join(", ", sharedNames)})"
            + string.Concat(shared.TearDownProblems.Select(p => Environment.NewLine + p)));
    }
}
