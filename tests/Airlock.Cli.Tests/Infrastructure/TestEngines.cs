using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Cli.Tests.Infrastructure;

/// <summary>The two engines on the test machine, addressed the way the tests tell airlock to find them (AIRLOCK_ENGINE).</summary>
public static class TestEngines
{
    public const string BaseImage = "localhost/airlock-base:bookworm";

    /// <summary>A label every container a test makes carries, with a value unique to that test.</summary>
    public const string TestLabel = "io.airlock.test";

    public static TheoryData<string> Names => new("podman", "docker");

    public static EngineEndpoint Endpoint(string engine) => engine switch
    {
        "podman" => EngineEndpoint.Unix("/run/podman/podman.sock"),
        "docker" => EngineEndpoint.Unix("/var/run/docker.sock"),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "podman or docker"),
    };

    public static Task<EngineClient> ConnectAsync(string engine) => EngineClient.ConnectAsync(Endpoint(engine));

    public static string NewTestId() => "clitest-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Ids of containers (any state) labelled <see cref="TestLabel"/>=<paramref name="testId"/>.</summary>
    public static async Task<List<string>> ContainersOfAsync(EngineClient engine, string testId) =>
        [.. (await engine.Containers.ListAsync([$"{TestLabel}={testId}"])).Select(c => c.Id)];

    /// <summary>Removes whatever a failed test may have left, so one failure does not litter the engine.</summary>
    public static async Task RemoveLeftoversAsync(EngineClient engine, string testId)
    {
        foreach (var id in await ContainersOfAsync(engine, testId))
        {
            await engine.Containers.RemoveIfExistsAsync(id);
        }
    }
}
