using Airlock.Engine;
using Airlock.Engine.Discovery;
using Airlock.Engine.Transport;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Cli.Engines;

/// <summary>
/// Finds the engine the way <see cref="EngineDiscovery"/> describes (AIRLOCK_ENGINE first) and connects to it: the one
/// place the CLI's commands get their <see cref="ISandboxRuntime"/>, and the only one that knows the engine client beneath.
/// </summary>
public static class EngineConnector
{
    public static EngineDiscovery Discovery(CliContext context) =>
        new(DiscoveryEnvironment.FromProcess() with { GetVariable = context.GetVariable });

    public static async Task<ISandboxRuntime> ConnectAsync(CliContext context, CancellationToken ct)
    {
        var found = await Discovery(context).FindAsync(ct);
        return await ConnectAsync(found.Endpoint, context.Time, ct);
    }

    /// <summary><paramref name="detailed"/> reads the engine's whole identity (OS, architecture, kernel), not just what a ping says.</summary>
    public static async Task<ISandboxRuntime> ConnectAsync(EngineEndpoint endpoint, TimeProvider time, CancellationToken ct, bool detailed = false) =>
        new EngineSandboxRuntime(await EngineClient.ConnectAsync(endpoint, time: time, ct: ct, detailed: detailed));
}
