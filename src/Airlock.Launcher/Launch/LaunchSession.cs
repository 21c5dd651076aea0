using Airlock.Engine;
using Airlock.Launcher.HostServices;
using Airlock.Launcher.Locking;
using Airlock.Launcher.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;

namespace Airlock.Launcher.Launch;

/// <summary>
/// A created (not yet started) sandbox for one launch, with what it holds on the host: the project lock and the host
/// service relay. Disposing it removes the container and releases both, whatever happened in between.
/// </summary>
public sealed class LaunchSession : IAsyncDisposable
{
    private readonly EngineClient _engine;
    private readonly ProjectLock? _lock;
    private readonly HostServiceForwarder? _relay;

    private LaunchSession(EngineClient engine, string containerId, LaunchPlan plan, ProjectLock? @lock, HostServiceForwarder? relay)
    {
        _engine = engine;
        ContainerId = containerId;
        Plan = plan;
        _lock = @lock;
        _relay = relay;
    }

    public string ContainerId { get; }

    public LaunchPlan Plan { get; }

    public static async Task<LaunchSession> CreateAsync(EngineClient engine, AirlockPaths paths, LaunchPlan plan, bool allowConcurrent, List<string> warnings, CancellationToken ct)
    {
        var project = plan.Spec.WorkingDirectory!;
        var @lock = allowConcurrent ? null : ProjectLock.Acquire(paths.LocksDir, project, $"session {plan.SessionName}");
        HostServiceForwarder? relay = null;
        string? id = null;
        try
        {
            var services = await HostServicePlan.ForAsync(engine, plan.Spec.Network, ct);
            var labels = new Dictionary<string, string> { [SandboxLabels.Session] = plan.SessionName };
            var options = ContainerSpecMapper.ToCreateOptions(plan.Spec, plan.SessionName, labels, services.ExtraHosts);
            if (services.NetworkMode is { } mode)
            {
                options = options with { NetworkMode = mode };
            }

            id = await engine.Containers.CreateAsync(options, ct);
            if (services.RelayAddress is { } address)
            {
                relay = HostServiceForwarder.Start(address, services.Ports, warnings);
            }

            return new LaunchSession(engine, id, plan, @lock, relay);
        }
        catch
        {
            if (id is not null)
            {
                await engine.Containers.RemoveIfExistsAsync(id, CancellationToken.None);
            }

            if (relay is not null)
            {
                await relay.DisposeAsync();
            }

            @lock?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _engine.Containers.RemoveIfExistsAsync(ContainerId, CancellationToken.None);
        }
        finally
        {
            if (_relay is not null)
            {
                await _relay.DisposeAsync();
            }

            _lock?.Dispose();
        }
    }
}
