using Airlock.Cli.Tests.Infrastructure;
using Airlock.Engine.Containers;

namespace Airlock.Cli.Tests;

/// <summary><c>airlock engine exec</c> without a terminal.</summary>
public sealed class EngineExecTests
{
    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public async Task Exec_passes_output_stdin_and_exit_code_through(string engine)
    {
        using var client = await TestEngines.ConnectAsync(engine);
        var id = TestEngines.NewTestId();
        var ct = TestContext.Current.CancellationToken;
        var container = await client.Containers.CreateAsync(new ContainerCreateOptions
        {
            Image = TestEngines.BaseImage,
            Command = ["sleep", "300"],
            Labels = new Dictionary<string, string> { [TestEngines.TestLabel] = id },
            Init = true,
        }, ct);
        try
        {
            await client.Containers.StartAsync(container, ct);
            var env = new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = engine };

            var result = await AirlockBinary.RunAsync(["engine", "exec", "-i", container, "sh", "-c", "cat; echo err >&2; exit 5"], env, "piped\n");

            result.ExitCode.ShouldBe(5, result.ToString());
            result.Stdout.ShouldBe("piped\n");
            result.Stderr.ShouldBe("err\n");
        }
        finally
        {
            await client.Containers.RemoveIfExistsAsync(container, CancellationToken.None);
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public async Task Exec_into_a_missing_container_exits_2(string engine)
    {
        var result = await AirlockBinary.RunAsync(
            ["engine", "exec", "airlock-no-such-container", "true"], new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = engine });

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("airlock-no-such-container");
        result.Stderr.ShouldContain("fix:");
    }
}
