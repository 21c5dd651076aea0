using Airlock.Engine;
using Airlock.Engine.Discovery;

namespace Airlock.Cli.Engines;

/// <summary>Finds the engine the way <see cref="EngineDiscovery"/> describes (AIRLOCK_ENGINE first) and connects to it.</summary>
public static class EngineConnector
{
    public static EngineDiscovery Discovery(CliContext context) =>
        new(DiscoveryEnvironment.FromProcess() with { GetVariable = context.GetVariable });

    public static async Task<EngineClient> ConnectAsync(CliContext context, CancellationToken ct)
    {
        var found = await Discovery(context).FindAsync(ct);
        return await EngineClient.ConnectAsync(found.Endpoint, time: context.Time, ct: ct);
    }
}
