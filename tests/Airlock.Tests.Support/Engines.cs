using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Tests.Support;

/// <summary>
/// The two engines every integration test runs against (the same test once per engine), where the tests find them,
/// and the conventions of what tests create there. The one list: every test project uses it.
/// </summary>
public static partial class Engines
{
    public const string Podman = "podman";
    public const string Docker = "docker";

    public const string PodmanSocketVariable = "AIRLOCK_TEST_PODMAN_SOCKET";
    public const string DockerSocketVariable = "AIRLOCK_TEST_DOCKER_SOCKET";

    /// <summary>Carried by every container and image the tests create, so leak checks find them; the value names the run.</summary>
    public const string RunLabel = "io.airlock.test";

    /// <summary>Distinguishes one test's objects from the others running at the same time.</summary>
    public const string CaseLabel = "io.airlock.test.case";

    /// <summary>Upper bound for one engine integration test, so a hung stream fails the test instead of the run.</summary>
    public const int TestTimeoutMs = 90_000;

    /// <summary>The base image scripts/base-image.sh makes in both engines (AIRLOCK_TEST_BASE_IMAGE overrides it).</summary>
    public static readonly string BaseImage =
        Environment.GetEnvironmentVariable("AIRLOCK_TEST_BASE_IMAGE") is { Length: > 0 } image ? image : "localhost/airlock-base:bookworm";

    /// <summary>
    /// True when <paramref name="procVersion"/> (a sandbox's /proc/version) is gVisor's: it answers with its own kernel's
    /// version (4.4.0 for Debian's runsc), where a container reads the host's /proc/version itself.
    /// </summary>
    public static bool IsGvisorKernel(string procVersion) =>
        procVersion.Trim() != File.ReadAllText("/proc/version").Trim() && procVersion.StartsWith("Linux version 4.4.0", StringComparison.Ordinal);

    /// <summary>Both engines, as AIRLOCK_ENGINE names them, for <c>[MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]</c>.</summary>
    /// <remarks>
    /// A method, not a property: xunit.analyzers 1.27 crashes (AD0001) on a [MemberData] property declared in another
    /// assembly (xunit/xunit#3474); methods are fine, and nameof reads the same.
    /// </remarks>
    public static TheoryData<string> Both() => new(Podman, Docker);

    /// <summary>Where the tests reach <paramref name="engine"/>: the rootful sockets scripts/setup-engines.sh starts, or the variable's.</summary>
    public static EngineEndpoint Endpoint(string engine) => engine switch
    {
        Podman => EngineEndpoint.Parse(Environment.GetEnvironmentVariable(PodmanSocketVariable) is { Length: > 0 } p ? p : "unix:///run/podman/podman.sock"),
        Docker => EngineEndpoint.Parse(Environment.GetEnvironmentVariable(DockerSocketVariable) is { Length: > 0 } d ? d : "unix:///var/run/docker.sock"),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "podman or docker"),
    };

    /// <summary>Airlock's own engine client on <paramref name="engine"/>, for tests that check through the Engine API.</summary>
    public static Task<EngineClient> ConnectAsync(string engine) => EngineClient.ConnectAsync(Endpoint(engine));
}
