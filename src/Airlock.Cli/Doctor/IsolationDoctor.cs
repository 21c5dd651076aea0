using Airlock.Engine.Identity;
using Airlock.Engine;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;

namespace Airlock.Cli.Doctor;

/// <summary>
/// The isolation levels the engine offers: <c>container</c> always, <c>gvisor</c> where the engine has gVisor's runtime
/// registered under <see cref="IsolationRules.GvisorRuntime"/>, and how to add it where it has not. A missing level is
/// not a problem (the default level works); it is listed with its fix.
/// </summary>
public static class IsolationDoctor
{
    public static async Task<IReadOnlyList<IsolationReport>> CheckAsync(ISandboxRuntime runtime, CancellationToken ct)
    {
        var runtimes = await runtime.OciRuntimesAsync(ct);
        return [.. IsolationLevels.All.Select(level => Report(level, runtimes, runtime.Identity))];
    }

    public static IsolationReport Report(IsolationLevel level, EngineRuntimes runtimes, EngineIdentity engine)
    {
        var name = IsolationLevels.Name(level);
        var needed = IsolationRules.RuntimesFor(level);
        if (needed.Count == 0)
        {
            return new IsolationReport(name, true, runtimes.Default ?? "the engine's default", null, null);
        }

        var runtime = needed.FirstOrDefault(r => !runtimes.Contains(r)) ?? needed[0];
        if (needed.All(runtimes.Contains))
        {
            var note = engine.Kind == EngineKind.Podman && engine.Rootless ? "not with keep-id (rootless podman's own uid inside)" : null;
            return new IsolationReport(name, true, runtime, note, null);
        }

        var script = AirlockCheckout.Find() is { } checkout
            ? AirlockCheckout.Script(checkout, "setup-gvisor.sh")
            : "bash scripts/setup-gvisor.sh in the Airlock checkout";
        return new IsolationReport(name, false, runtime, $"the engine has no runtime '{runtime}'", $"{script} (installs runsc and registers it with podman and Docker; it asks sudo for root)");
    }
}
