namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>The engines every integration test runs against: the same test, once per engine.</summary>
public static class Engines
{
    public const string Podman = "podman";
    public const string Docker = "docker";

    /// <summary>Upper bound for one integration test, so a hung stream fails the test instead of the run.</summary>
    public const int TestTimeoutMs = 90_000;

    public static TheoryData<string> Both => new() { Podman, Docker };
}
