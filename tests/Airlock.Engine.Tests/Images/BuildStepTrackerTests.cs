using Airlock.Engine.Images;

namespace Airlock.Engine.Tests.Images;

public sealed class BuildStepTrackerTests
{
    [Fact]
    public void Before_any_step_nothing_is_known()
    {
        var tracker = new ImagesClient.BuildStepTracker();

        tracker.Observe("Sending build context to Docker daemon  2.048kB");

        tracker.Step.ShouldBe(0);
        tracker.TotalSteps.ShouldBe(0);
        tracker.Instruction.ShouldBeNull();
        tracker.LayerIds.ShouldBeEmpty();
    }

    [Fact]
    public void Docker_step_lines_set_the_step_the_total_and_the_instruction()
    {
        var tracker = Observe("Step 1/3 : FROM localhost/airlock-base:bookworm", " ---> c4c6143ca069", "Step 2/3 : RUN echo hi");

        tracker.Step.ShouldBe(2);
        tracker.TotalSteps.ShouldBe(3);
        tracker.Instruction.ShouldBe("RUN echo hi");
    }

    [Fact]
    public void Podman_step_lines_set_the_step_the_total_and_the_instruction()
    {
        var tracker = Observe("STEP 1/3: FROM localhost/airlock-base:bookworm", "STEP 2/3: RUN echo hi");

        tracker.Step.ShouldBe(2);
        tracker.TotalSteps.ShouldBe(3);
        tracker.Instruction.ShouldBe("RUN echo hi");
    }

    [Fact]
    public void Podman_multi_stage_step_lines_with_a_stage_prefix_are_steps_too()
    {
        var tracker = Observe("[1/2] STEP 1/2: FROM localhost/airlock-base:bookworm AS first", "[2/2] STEP 2/3: COPY --from=first /x /x");

        tracker.Step.ShouldBe(2);
        tracker.TotalSteps.ShouldBe(3);
        tracker.Instruction.ShouldBe("COPY --from=first /x /x");
    }

    [Fact]
    public void Layer_lines_of_both_engines_record_the_finished_steps_images_in_order()
    {
        var tracker = Observe(
            "Step 1/2 : FROM base", " ---> c4c6143ca069", "Step 2/2 : RUN true", " ---> Running in a85ba6341947", "Removing intermediate container a85ba6341947", " ---> 0123456789ab",
            "STEP 3/3: RUN true", "--> d8eea7a4fbd");

        tracker.LayerIds.ShouldBe(["c4c6143ca069", "0123456789ab", "d8eea7a4fbd"]);
    }

    [Fact]
    public void Step_output_holds_only_what_the_current_step_printed()
    {
        var tracker = Observe(
            "Step 2/3 : RUN echo fine",
            " ---> Running in 1a2b3c4d5e6f",
            "fine",
            "Removing intermediate container 1a2b3c4d5e6f",
            " ---> 0123456789ab",
            "Step 3/3 : RUN make",
            " ---> Running in 6f5e4d3c2b1a",
            " ---> Using cache",
            "make: *** No rule to make target",
            "error: exit 2");

        tracker.Instruction.ShouldBe("RUN make");
        tracker.StepOutput.ShouldBe($"make: *** No rule to make target{Environment.NewLine}error: exit 2");
    }

    [Fact]
    public void Lines_that_only_look_like_steps_are_output()
    {
        var tracker = Observe("STEP 1/1: RUN ./test", "Step one of three: compile", "--> not-a-layer-id");

        tracker.Step.ShouldBe(1);
        tracker.StepOutput.ShouldContain("Step one of three: compile");
        tracker.StepOutput.ShouldContain("--> not-a-layer-id");
        tracker.LayerIds.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("debian:bookworm", "debian", "bookworm")]
    [InlineData("docker.io/library/busybox", "docker.io/library/busybox", "latest")]
    [InlineData("localhost:5000/team/app:1.2", "localhost:5000/team/app", "1.2")]
    [InlineData("localhost:5000/team/app", "localhost:5000/team/app", "latest")]
    [InlineData("alpine@sha256:abc123", "alpine", "sha256:abc123")]
    public void Image_references_split_into_repository_and_tag(string reference, string repository, string tag)
    {
        ImagesClient.SplitReference(reference).ShouldBe((repository, tag));
    }

    private static ImagesClient.BuildStepTracker Observe(params string[] lines)
    {
        var tracker = new ImagesClient.BuildStepTracker();
        foreach (var line in lines)
        {
            tracker.Observe(line);
        }

        return tracker;
    }
}
