using Airlock.Engine.Discovery;

namespace Airlock.Engine.Tests.Discovery;

/// <summary>Records the start request instead of running podman.</summary>
public sealed class FakePodmanServiceStarter : PodmanServiceStarter
{
    public List<(string PodmanPath, string SocketPath)> Starts { get; } = [];

    public List<(string PodmanPath, string SocketPath, string Runtime)> RuntimeStarts { get; } = [];

    public override Task StartAsync(string podmanPath, string socketPath, CancellationToken ct)
    {
        Starts.Add((podmanPath, socketPath));
        return Task.CompletedTask;
    }

    public override Task StartAsync(string podmanPath, string socketPath, string? runtime, CancellationToken ct)
    {
        if (runtime is null)
        {
            return StartAsync(podmanPath, socketPath, ct);
        }

        RuntimeStarts.Add((podmanPath, socketPath, runtime));
        return Task.CompletedTask;
    }
}
