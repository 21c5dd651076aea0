namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>Issue 11, item 4: the hardening tests run at every isolation level, on both engines.</summary>
public static class Levels
{
    /// <summary>The levels as <c>--isolation</c> names them (the tests run the CLI, not its types).</summary>
    public const string Container = "container";
    public const string Gvisor = "gvisor";

    /// <summary>Each engine at each level, for <c>[MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]</c>.</summary>
    public static TheoryData<string, string> OnBothEngines() => new()
    {
        { Engines.Podman, Container },
        { Engines.Podman, Gvisor },
        { Engines.Docker, Container },
        { Engines.Docker, Gvisor },
    };
}
