using System.Diagnostics;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// One namespace built from the real cli-agents template, shared by the agent tests: the image is large (every agent
/// CLI on Node), so it is built once per run, on Docker (whose classic builder has been the steadier of the two with
/// big multi-stage builds here), and deleted when the tests are done.
/// </summary>
public sealed class CliAgentsNamespace : IAsyncLifetime
{
    private Workspace? _owner;

    public SharedNamespace Shared { get; private set; } = null!;

    /// <summary>How long <c>airlock create namespace NAME cli-agents</c> took (reported in the test output).</summary>
    public TimeSpan BuildTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _owner = Workspace.Create(Engines.Docker);
        var name = _owner.NewNamespaceName();
        var clock = Stopwatch.StartNew();
        var created = await _owner.RunAsync(["create", "namespace", name, "cli-agents"], timeout: TimeSpan.FromMinutes(20));
        BuildTime = clock.Elapsed;
        created.ShouldSucceed();
        Shared = new SharedNamespace(Engines.Docker, name, _owner.AirlockHome);
        Console.Error.WriteLine($"cli-agents namespace {name} built on {Engines.Docker} in {BuildTime.TotalSeconds:F0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_owner is not null)
        {
            await _owner.DisposeAsync(); // deletes the namespace, its image and its dirs
        }
    }
}
