using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Cli.Tests.Infrastructure;

// Airlock.Cli.Engines (a namespace of the CLI) hides the support library's Engines inside Airlock.Cli.Tests.
using Engines = Airlock.Tests.Support.Engines;

/// <summary>
/// The CLI tests' view of the one engine list (<see cref="Airlock.Tests.Support.Engines"/>): the names these tests were written with, and how
/// they scope what they create: a label with a value unique to the test.
/// </summary>
public static class TestEngines
{
    public static string BaseImage => Engines.BaseImage;

    /// <summary>A label every container a test makes carries, with a value unique to that test.</summary>
    public const string TestLabel = Engines.RunLabel;

    public static TheoryData<string> Names => Engines.Both();

    public static EngineEndpoint Endpoint(string engine) => Engines.Endpoint(engine);

    public static Task<EngineClient> ConnectAsync(string engine) => Engines.ConnectAsync(engine);

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
