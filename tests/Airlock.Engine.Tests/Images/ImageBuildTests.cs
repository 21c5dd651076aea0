using System.Text.RegularExpressions;
using Airlock.Engine.Errors;
using Airlock.Engine.Images;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Images;

[Trait("Category", "Integration")]
/// <remarks>
/// Every build here uses NoCache: podman 4.3 fails a build whose cache lookup meets an image that a parallel test is
/// removing at that moment ("checking if cached image exists from a previous build: ... layer not known").
/// </remarks>
public sealed partial class ImageBuildTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Build_reports_progress_with_step_numbers_as_the_steps_run(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var context = new TempDirectory();
        context.Write("Dockerfile", $"""
            FROM {TestEngine.BaseImage}
            RUN echo step-two-output
            CMD ["true"]
            """);
        var progress = new ProgressRecorder<BuildProgress>();

        await e.Client.Images.BuildAsync(new BuildOptions { ContextDirectory = context.Path, Tag = scope.NewImageReference("progress"), Labels = scope.Labels, NoCache = true }, progress, Ct);

        // Both engines turn each build label into one more LABEL step after the Dockerfile's own.
        var total = 3 + scope.Labels.Count;
        var reports = progress.Items;
        reports.ShouldNotBeEmpty();
        reports.Where(r => r.Step > 0).ShouldAllBe(r => r.TotalSteps == total);
        reports.Select(r => r.Step).Distinct().ShouldBe(Enumerable.Range(1, total));
        reports.Select(r => r.Step).ShouldBeInOrder();
        reports.ShouldContain(r => r.Step == 1 && r.Instruction == $"FROM {TestEngine.BaseImage}");
        reports.ShouldContain(r => r.Step == 3 && r.Instruction == "CMD [\"true\"]");
        reports.ShouldContain(r => r.Step == 2 && r.Instruction == "RUN echo step-two-output" && r.Line == "step-two-output");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Build_returns_the_id_of_a_tagged_image_with_the_given_labels_and_build_args(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var context = new TempDirectory();
        context.Write("greeting.txt", "from the context\n");
        context.Write("build/Containerfile", $"""
            FROM {TestEngine.BaseImage}
            ARG GREETING
            COPY greeting.txt /greeting.txt
            RUN echo "$GREETING" >> /greeting.txt
            CMD ["cat", "/greeting.txt"]
            """);
        var tag = scope.NewImageReference("build");
        var options = new BuildOptions
        {
            ContextDirectory = context.Path,
            Dockerfile = "build/Containerfile",
            Tag = tag,
            Labels = scope.Labels,
            BuildArgs = new Dictionary<string, string> { ["GREETING"] = "from a build arg" },
            NoCache = true,
        };

        var id = await e.Client.Images.BuildAsync(options, ct: Ct);

        var image = await e.Client.Images.InspectAsync(tag, Ct);
        image.Id.ShouldBe(id);
        image.Config.ShouldNotBeNull().Labels.ShouldNotBeNull()[TestEngine.CaseLabel].ShouldBe(scope.CaseId);
        var (exit, stdout, _) = await scope.RunAsync(new() { Image = tag });
        exit.ShouldBe(0);
        stdout.ShouldBe("from the context\nfrom a build arg\n");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Failed_build_names_the_failing_step_and_carries_its_output(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var context = new TempDirectory();
        context.Write("Dockerfile", $"""
            FROM {TestEngine.BaseImage}
            RUN echo fine
            RUN echo about-to-fail && echo reason-on-stderr >&2 && exit 3
            RUN echo never-runs
            """);
        var tag = scope.NewImageReference("fail");

        var ex = await Should.ThrowAsync<ImageBuildFailedException>(
            () => e.Client.Images.BuildAsync(new BuildOptions { ContextDirectory = context.Path, Tag = tag, Labels = scope.Labels, NoCache = true }, ct: Ct));

        ex.Step.ShouldBe("RUN echo about-to-fail && echo reason-on-stderr >&2 && exit 3");
        ex.StepOutput.ShouldContain("about-to-fail");
        ex.StepOutput.ShouldContain("reason-on-stderr");
        ex.StepOutput.ShouldNotContain("fine");
        ex.Message.ShouldContain("RUN echo about-to-fail");
        ex.Message.ShouldContain("3");
        (await e.Client.Images.ExistsAsync(tag, Ct)).ShouldBeFalse();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Failed_build_leaves_no_untagged_layers_behind(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var context = new TempDirectory();
        context.Write("Dockerfile", $"""
            FROM {TestEngine.BaseImage}
            RUN echo {scope.CaseId} > /case
            LABEL stage=two
            RUN exit 1
            """);
        var progress = new ProgressRecorder<BuildProgress>();

        await Should.ThrowAsync<ImageBuildFailedException>(
            () => e.Client.Images.BuildAsync(new BuildOptions { ContextDirectory = context.Path, Tag = scope.NewImageReference("dangling"), Labels = scope.Labels, NoCache = true }, progress, Ct));

        var baseId = (await e.Client.Images.InspectAsync(TestEngine.BaseImage, Ct)).Id;
        var layers = progress.Items.Select(p => LayerLine().Match(p.Line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        layers.Count.ShouldBeGreaterThanOrEqualTo(2, "the finished steps should have reported their layers");
        foreach (var layer in layers.Where(l => !baseId.Contains(l, StringComparison.Ordinal)))
        {
            (await e.Client.Images.ExistsAsync(layer, Ct)).ShouldBeFalse($"layer {layer} of the failed build is still there");
        }
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Build_from_a_missing_context_directory_is_refused_before_contacting_the_engine(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        var missing = Path.Combine(Path.GetTempPath(), "airlock-test-missing-" + e.RunId);

        var ex = await Should.ThrowAsync<DirectoryNotFoundException>(
            () => e.Client.Images.BuildAsync(new BuildOptions { ContextDirectory = missing, Tag = $"{TestEngine.ImagePrefix}never:{e.RunId}" }, ct: Ct));

        ex.Message.ShouldContain(missing);
    }

    [GeneratedRegex(@"^\s*-{2,3}>\s*([0-9a-f]{11,64})\s*$")]
    private static partial Regex LayerLine();
}
