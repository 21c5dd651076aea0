using System.Globalization;
using System.Security.Cryptography;
using Airlock.Engine.Errors;
using Airlock.Engine.Identity;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>
/// Connects to podman and Docker on first use (so unit-only runs never need an engine) and, when the run ends, checks
/// that nothing this run created is left in either engine: leftovers are removed and the run fails, naming them.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    private readonly Lazy<Task<TestEngine>> _podman;
    private readonly Lazy<Task<TestEngine>> _docker;

    public EngineFixture()
    {
        RunId = NewRunId();
        _podman = new(() => ConnectAsync(Engines.Podman, EngineKind.Podman, Engines.PodmanSocketVariable));
        _docker = new(() => ConnectAsync(Engines.Docker, EngineKind.Docker, Engines.DockerSocketVariable));
    }

    /// <summary>The value of <see cref="TestEngine.RunLabel"/> on everything this run creates, and part of every image tag.</summary>
    public string RunId { get; }

    /// <summary>The connected engine, or a failure that says which socket was tried and how to bring the engine up.</summary>
    public Task<TestEngine> ConnectAsync(string engine) => engine switch
    {
        Engines.Podman => _podman.Value,
        Engines.Docker => _docker.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "expected podman or docker"),
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        var leaks = new List<string>();
        foreach (var engine in new[] { _podman, _docker })
        {
            if (engine.IsValueCreated && engine.Value.IsCompletedSuccessfully)
            {
                var found = await LeakDetector.RemoveLeftoversAsync(engine.Value.Result.Client, RunId, [$"{TestEngine.RunLabel}={RunId}"], CancellationToken.None);
                leaks.AddRange(found.Select(f => $"{engine.Value.Result.Name}: {f}"));
                engine.Value.Result.Client.Dispose();
            }
        }

        if (leaks.Count > 0)
        {
            throw new InvalidOperationException(
                $"the tests left {leaks.Count} object(s) behind in the engines (now removed); a test is missing its clean-up:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", leaks));
        }
    }

    private async Task<TestEngine> ConnectAsync(string name, EngineKind kind, string variable)
    {
        var endpoint = Engines.Endpoint(name);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        EngineClient client;
        try
        {
            client = await EngineClient.ConnectAsync(endpoint, ct: timeout.Token);
        }
        catch (Exception ex) when (ex is EngineException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{name} is not reachable at {endpoint}: {ex.Message}. The integration tests need real engines: run "
                + $"'sudo scripts/setup-engines.sh' (as CI does), or point {variable} at the engine's socket.",
                ex);
        }

        if (client.Identity.Kind != kind)
        {
            client.Dispose();
            throw new InvalidOperationException($"{endpoint} answers as {client.Identity.Kind}, but the {name} tests expect {kind}: check {variable}");
        }

        return new TestEngine(name, client, RunId);
    }

    private static string NewRunId() =>
        "r" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
}
