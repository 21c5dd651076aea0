using System.Diagnostics;
using Airlock.Engine.Errors;
using Airlock.Engine.Images;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Images;

[Trait("Category", "Integration")]
public sealed class ImagesTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Inspect_of_the_base_image_returns_its_id_tags_and_platform(string engine)
    {
        var e = await fixture.ConnectAsync(engine);

        var image = await e.Client.Images.InspectAsync(TestEngine.BaseImage, Ct);

        image.Id.ShouldNotBeNullOrWhiteSpace();
        image.RepoTags.ShouldNotBeNull().ShouldContain(TestEngine.BaseImage);
        image.Os.ShouldBe("linux");
        image.Size.ShouldBeGreaterThan(0);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Inspect_of_a_missing_image_throws_not_found(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        var missing = $"{TestEngine.ImagePrefix}missing:{e.RunId}";

        var ex = await Should.ThrowAsync<EngineNotFoundException>(() => e.Client.Images.InspectAsync(missing, Ct));

        ex.Message.ShouldContain(missing);
        (await e.Client.Images.TryInspectAsync(missing, Ct)).ShouldBeNull();
        (await e.Client.Images.ExistsAsync(missing, Ct)).ShouldBeFalse();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Tag_gives_an_image_a_second_name_with_the_same_id(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var source = await scope.ImportOwnImageAsync("tag-source");
        var (repository, tag) = scope.NewImageName("tag");

        await e.Client.Images.TagAsync(source, repository, tag, Ct);

        var original = await e.Client.Images.InspectAsync(source, Ct);
        var tagged = await e.Client.Images.InspectAsync($"{repository}:{tag}", Ct);
        tagged.Id.ShouldBe(original.Id);
        tagged.RepoTags.ShouldNotBeNull().ShouldBe([source, $"{repository}:{tag}"], ignoreOrder: true);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Remove_of_a_tag_deletes_that_name_and_keeps_the_image(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var source = await scope.ImportOwnImageAsync("remove-source");
        var (repository, tag) = scope.NewImageName("remove");
        await e.Client.Images.TagAsync(source, repository, tag, Ct);

        await e.Client.Images.RemoveAsync($"{repository}:{tag}", ct: Ct);

        (await e.Client.Images.ExistsAsync($"{repository}:{tag}", Ct)).ShouldBeFalse();
        (await e.Client.Images.ExistsAsync(source, Ct)).ShouldBeTrue();
        (await e.Client.Images.RemoveIfExistsAsync($"{repository}:{tag}", ct: Ct)).ShouldBeFalse();
        await Should.ThrowAsync<EngineNotFoundException>(() => e.Client.Images.RemoveAsync($"{repository}:{tag}", ct: Ct));
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task List_with_a_reference_filter_returns_only_matching_images(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var wanted = await scope.ImportOwnImageAsync("list-ref");
        await scope.ImportOwnImageAsync("list-ref-other");

        var listed = await e.Client.Images.ListAsync(reference: wanted, ct: Ct);

        listed.Count.ShouldBe(1);
        listed[0].RepoTags.ShouldNotBeNull().ShouldBe([wanted]);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task List_with_a_label_filter_returns_only_the_labelled_image(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var context = new TempDirectory();
        context.Write("Dockerfile", $"FROM {TestEngine.BaseImage}\n");
        var tag = scope.NewImageReference("list-label");
        await e.Client.Images.BuildAsync(new BuildOptions { ContextDirectory = context.Path, Tag = tag, Labels = scope.Labels, NoCache = true }, ct: Ct);

        var listed = await e.Client.Images.ListAsync([scope.CaseFilter], ct: Ct);

        listed.Count.ShouldBe(1);
        listed[0].RepoTags.ShouldNotBeNull().ShouldContain(tag);
        listed[0].Labels.ShouldNotBeNull()[TestEngine.CaseLabel].ShouldBe(scope.CaseId);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Import_of_a_rootfs_tar_creates_an_image_under_the_given_name(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var (repository, tag) = scope.NewImageName("import");
        using var tar = RootfsTar.Create(("airlock/hello.txt", "imported by the airlock tests\n"));

        var id = await e.Client.Images.ImportAsync(tar, repository, tag, Ct);

        var image = await e.Client.Images.InspectAsync($"{repository}:{tag}", Ct);
        image.Id.ShouldBe(id);
        image.RepoTags.ShouldNotBeNull().ShouldContain($"{repository}:{tag}");
        var listed = await e.Client.Images.ListAsync(reference: $"{repository}:{tag}", ct: Ct);
        listed.Select(i => i.Id).ShouldBe([id]);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Imported_image_holds_the_files_of_the_tar(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var (repository, tag) = scope.NewImageName("import-content");
        using var tar = RootfsTar.Create(("airlock/hello.txt", "imported by the airlock tests\n"));
        await e.Client.Images.ImportAsync(tar, repository, tag, Ct);

        // The imported image has no shell: copy its file into an image that has one, then read it there.
        using var context = new TempDirectory();
        context.Write("Dockerfile", $"""
            FROM {repository}:{tag} AS imported
            FROM {TestEngine.BaseImage}
            COPY --from=imported /airlock/hello.txt /hello.txt
            """);
        var reader = scope.NewImageReference("import-reader");
        await e.Client.Images.BuildAsync(new BuildOptions { ContextDirectory = context.Path, Tag = reader, Labels = scope.Labels, NoCache = true }, ct: Ct);
        var (exit, stdout, _) = await scope.RunAsync(TestEngine.Container("cat", "/hello.txt") with { Image = reader });

        exit.ShouldBe(0);
        stdout.ShouldBe("imported by the airlock tests\n");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Pull_from_an_unreachable_registry_fails_fast_with_RegistryUnreachableException(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        var image = "docker.io/library/busybox:latest";
        var clock = Stopwatch.StartNew();

        var ex = await Should.ThrowAsync<RegistryUnreachableException>(() => e.Client.Images.PullAsync(image, ct: Ct));

        // The engine's own error, not the library's 60 s stall timeout, ended the pull.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        ex.EngineMessage.ShouldNotBeNull().ShouldNotContain("no progress");
        ex.Image.ShouldBe(image);
        ex.Message.ShouldContain("registry not reachable");
        ex.EngineMessage.ShouldNotBeNullOrWhiteSpace();
        (await e.Client.Images.ExistsAsync(image, Ct)).ShouldBeFalse();
    }
}
