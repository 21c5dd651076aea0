using Airlock.Cli.Tests.Infrastructure;

namespace Airlock.Cli.Tests;

/// <summary><c>airlock engine run</c> without a terminal: exit codes, streams, labels and clean-up, on both engines.</summary>
public sealed class EngineRunTests
{
    private static async Task<ProcessResult> RunAsync(string engine, string testId, string? stdin, params string[] args) =>
        await AirlockBinary.RunAsync(
            ["engine", "run", "--label", $"{TestEngines.TestLabel}={testId}", .. args],
            new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = engine },
            stdin);

    private static async Task WithEngineAsync(string engine, Func<Airlock.Engine.EngineClient, string, Task> test)
    {
        using var client = await TestEngines.ConnectAsync(engine);
        var testId = TestEngines.NewTestId();
        try
        {
            await test(client, testId);
        }
        finally
        {
            await TestEngines.RemoveLeftoversAsync(client, testId);
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Exit_code_and_both_streams_pass_through_and_the_container_is_removed(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            var result = await RunAsync(engine, id, null, TestEngines.BaseImage, "sh", "-c", "echo out; echo err >&2; exit 7");

            result.ExitCode.ShouldBe(7, result.ToString());
            result.Stdout.ShouldBe("out\n");
            result.Stderr.ShouldBe("err\n");
            (await TestEngines.ContainersOfAsync(client, id)).ShouldBeEmpty();
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Stdin_is_sent_with_interactive_and_its_end_ends_the_command(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            var result = await RunAsync(engine, id, "hello\nworld\n", "-i", TestEngines.BaseImage, "cat");

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stdout.ShouldBe("hello\nworld\n");
            (await TestEngines.ContainersOfAsync(client, id)).ShouldBeEmpty();
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Options_after_the_image_belong_to_the_command(string engine) =>
        WithEngineAsync(engine, async (_, id) =>
        {
            var result = await RunAsync(engine, id, null, "-e", "FOO=bar baz", TestEngines.BaseImage, "sh", "-c", "echo \"$FOO\" --help -it");

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stdout.ShouldBe("bar baz --help -it\n");
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Keeping_the_container_leaves_it_labelled_as_airlock_s(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            var result = await RunAsync(engine, id, null, "--rm=false", TestEngines.BaseImage, "true");

            result.ExitCode.ShouldBe(0, result.ToString());
            var kept = (await TestEngines.ContainersOfAsync(client, id)).ShouldHaveSingleItem();
            var details = await client.Containers.InspectAsync(kept);
            details.Config.Labels.ShouldNotBeNull();
            details.Config.Labels!["io.airlock.owner"].ShouldBe("airlock");
            details.Config.Labels[TestEngines.TestLabel].ShouldBe(id);
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task A_command_missing_from_the_image_exits_127_and_leaves_nothing(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            var result = await RunAsync(engine, id, null, TestEngines.BaseImage, "no-such-command-here");

            result.ExitCode.ShouldBe(127, result.ToString());
            result.Stderr.ShouldContain("not found");
            (await TestEngines.ContainersOfAsync(client, id)).ShouldBeEmpty();
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task A_missing_image_exits_2_and_says_so(string engine) =>
        WithEngineAsync(engine, async (_, id) =>
        {
            var result = await RunAsync(engine, id, null, "localhost/airlock-no-such-image:1", "true");

            result.ExitCode.ShouldBe(2, result.ToString());
            result.Stderr.ShouldContain("airlock-no-such-image");
            result.Stderr.ShouldContain("fix:");
        });

    [Fact]
    public async Task Run_with_no_engine_at_the_given_socket_exits_3_and_says_how_to_start_one()
    {
        var result = await AirlockBinary.RunAsync(
            ["engine", "run", TestEngines.BaseImage, "true"],
            new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = "unix:///nonexistent.sock" });

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain("error: no container engine answers");
        result.Stderr.ShouldContain("fix: start the engine at unix:///nonexistent.sock");
    }

    [Fact]
    public async Task Run_with_a_malformed_AIRLOCK_ENGINE_exits_2()
    {
        var result = await AirlockBinary.RunAsync(
            ["engine", "run", TestEngines.BaseImage, "true"],
            new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = "podmn" });

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("AIRLOCK_ENGINE");
        result.Stderr.ShouldContain("podman, docker, unix:///path/to.sock or tcp://host:port");
    }

    [Fact]
    public async Task Malformed_env_and_label_options_are_all_reported_at_once_with_exit_2()
    {
        var result = await AirlockBinary.RunAsync(
            ["engine", "run", "-e", "=x", "-e", "AIRLOCK_TEST_SURELY_UNSET", "--label", "nolabelvalue", TestEngines.BaseImage, "true"],
            new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = "unix:///nonexistent.sock" });

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("--label 'nolabelvalue'");
        result.Stderr.ShouldContain("--env '=x'");
        result.Stderr.ShouldContain("--env 'AIRLOCK_TEST_SURELY_UNSET'");
    }
}
