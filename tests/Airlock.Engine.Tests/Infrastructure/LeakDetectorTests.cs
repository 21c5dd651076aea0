namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>The end-of-run leak check is only worth something if it finds leaks: leave some on purpose and look.</summary>
[Trait("Category", "Integration")]
public sealed class LeakDetectorTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Leak_check_finds_and_removes_labelled_containers_and_test_images_left_behind(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var probe = $"{TestEngine.RunLabel}.probe";
        var container = await scope.CreateAsync(TestEngine.Container("true") with { Labels = new Dictionary<string, string> { [probe] = scope.CaseId } });
        // A stand-in for a shared image (the base image): it has a name outside the test prefix that must survive.
        var shared = $"localhost/airlock-probe-shared:{e.RunId}-{scope.CaseId}";
        scope.Track(shared);
        using (var tar = RootfsTar.Create(("shared", "yes")))
        {
            await e.Client.Images.ImportAsync(tar, shared.Split(':')[0], shared.Split(':')[1], Ct);
        }

        var (repository, tag) = scope.NewImageName("leak-probe");
        await e.Client.Images.TagAsync(shared, repository, tag, Ct);

        var found = await LeakDetector.RemoveLeftoversAsync(e.Client, $"{e.RunId}-{scope.CaseId}", [$"{probe}={scope.CaseId}"], Ct);

        found.Count.ShouldBe(2, string.Join("; ", found));
        found.ShouldContain(f => f.StartsWith("container ", StringComparison.Ordinal));
        found.ShouldContain(f => f.StartsWith("image ", StringComparison.Ordinal) && f.Contains($"{repository}:{tag}", StringComparison.Ordinal));
        (await e.Client.Containers.TryInspectAsync(container, Ct)).ShouldBeNull();
        (await e.Client.Images.ExistsAsync($"{repository}:{tag}", Ct)).ShouldBeFalse();
        (await e.Client.Images.ExistsAsync(shared, Ct)).ShouldBeTrue("removing a test tag of a shared image must keep the image");
        (await LeakDetector.RemoveLeftoversAsync(e.Client, $"{e.RunId}-{scope.CaseId}", [$"{probe}={scope.CaseId}"], Ct)).ShouldBeEmpty();
    }
}
