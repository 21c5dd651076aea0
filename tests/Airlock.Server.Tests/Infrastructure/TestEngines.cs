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

    /// <summary>Each engine at each isolation level (container, gvisor): for the tests of what holds inside a sandbox.</summary>
    public static TheoryData<string, string> AtEveryLevel
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var engine in new[] { Podman, Docker })
            {
                foreach (var level in Airlock.Sandboxes.Specs.IsolationLevels.All)
                {
                    data.Add(engine, Airlock.Sandboxes.Specs.IsolationLevels.Name(level));
                }
            }

            return data;
        }
    }

    public static EngineEndpoint Endpoint(string engine) => Engines.Endpoint(engine);

    public static Task<EngineClient> ConnectAsync(string engine) => Engines.ConnectAsync(engine);
}
