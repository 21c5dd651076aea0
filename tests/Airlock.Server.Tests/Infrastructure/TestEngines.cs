using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>The real engines the server's sandboxes run on in the tests.</summary>
public static class TestEngines
{
    public const string Podman = "podman";
    public const string Docker = "docker";

    public static readonly string BaseImage =
        Environment.GetEnvironmentVariable("AIRLOCK_TEST_BASE_IMAGE") is { Length: > 0 } image ? image : "localhost/airlock-base:bookworm";

    /// <summary>Carried by every container the tests' servers create; the value is the run id.</summary>
    public const string RunLabel = "io.airlock.test";

    public const string CaseLabel = "io.airlock.test.case";

    public static readonly string RunId = "s" + DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];

    public static TheoryData<string> Both => new() { Podman, Docker };

    public static EngineEndpoint Endpoint(string engine) => engine switch
    {
        Podman => EngineEndpoint.Parse(Environment.GetEnvironmentVariable("AIRLOCK_TEST_PODMAN_SOCKET") is { Length: > 0 } p ? p : "unix:///run/podman/podman.sock"),
        Docker => EngineEndpoint.Parse(Environment.GetEnvironmentVariable("AIRLOCK_TEST_DOCKER_SOCKET") is { Length: > 0 } d ? d : "unix:///var/run/docker.sock"),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "podman or docker"),
    };

    public static Task<EngineClient> ConnectAsync(string engine) => EngineClient.ConnectAsync(Endpoint(engine));
}
