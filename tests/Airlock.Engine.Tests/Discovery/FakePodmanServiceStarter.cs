using Airlock.Engine.Discovery;

namespace Airlock.Engine.Tests.Discovery;

/// <summary>Records the start request instead of running podman.</summary>
public sealed class FakePodmanServiceStarter : PodmanServiceStarter
{
    public List<(string PodmanPath, string SocketPath)> Starts { get; } = [];

    public override Task StartAsync(string podmanPath, string socketPath, CancellationToken ct)
    {
        Starts.Add((podmanPath, socketPath));
        return Task.CompletedTask;
    }
}
