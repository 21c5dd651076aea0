using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>
/// The server tests' view of the one engine list (<see cref="Engines"/>), under the names these tests were written
/// with, and the run id every container the tests' servers create is labelled with.
/// </summary>
public static class TestEngines
{
    public const string Podman = Engines.Podman;
    public const string Docker = Engines.Docker;

    public static string BaseImage => Engines.BaseImage;

    /// <summary>Carried by every container the tests' servers create; the value is the run id.</summary>
    public const string RunLabel = Engines.RunLabel;

    public const string CaseLabel = Engines.CaseLabel;

    public static readonly string RunId = "s" + DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];

    public static TheoryData<string> Both => Engines.Both();

    public static EngineEndpoint Endpoint(string engine) => Engines.Endpoint(engine);

    public static Task<EngineClient> ConnectAsync(string engine) => Engines.ConnectAsync(engine);
}
