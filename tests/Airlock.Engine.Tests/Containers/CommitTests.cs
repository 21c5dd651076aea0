using Airlock.Engine.Containers;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class CommitTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Commit_of_a_running_container_keeps_its_files_sets_the_labels_and_leaves_it_running(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var source = await scope.StartAsync(new ContainerCreateOptions
        {
            Image = TestEngine.BaseImage,
            Command = ["sh", "-c", "echo committed > /tmp/marker && echo ready && exec sleep infinity"],
        });
        await scope.WaitForLogLineAsync(source, "ready");
        var (repository, tag) = scope.NewImageName("commit");

        var imageId = await e.Client.Containers.CommitAsync(
            source, repository, tag, new Dictionary<string, string> { ["io.airlock.snapshot"] = "sn1", ["io.airlock.tenant"] = "acme" }, "a test commit", pause: false, Ct);

        var image = await e.Client.Images.InspectAsync($"{repository}:{tag}", Ct);
        image.Id.ShouldBe(imageId);
        image.Config!.Labels!["io.airlock.snapshot"].ShouldBe("sn1");
        image.Config.Labels["io.airlock.tenant"].ShouldBe("acme");
        (await e.Client.Containers.InspectAsync(source, Ct)).State.Running.ShouldBeTrue();

        var (exitCode, stdout, _) = await scope.RunAsync(new ContainerCreateOptions { Image = $"{repository}:{tag}", Command = ["cat", "/tmp/marker"] });
        exitCode.ShouldBe(0);
        stdout.ShouldBe("committed\n");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Commit_of_a_missing_container_is_not_found(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var (repository, tag) = scope.NewImageName("commit-missing");

        await Should.ThrowAsync<Airlock.Engine.Errors.EngineNotFoundException>(() =>
            e.Client.Containers.CommitAsync("airlock-no-such-container-" + e.RunId, repository, tag, new Dictionary<string, string>(), ct: Ct));
    }
}
