using System.Reflection;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Tests.Infrastructure;

/// <summary>
/// A runtime that only says which engine it is: planning a namespace asks nothing else of it, and anything that would
/// reach an engine fails the test saying what was asked.
/// </summary>
public class PlanningRuntime : DispatchProxy
{
    private EngineIdentity? _identity;

    public static ISandboxRuntime For(EngineIdentity identity)
    {
        var runtime = Create<ISandboxRuntime, PlanningRuntime>();
        ((PlanningRuntime)(object)runtime)._identity = identity;
        return runtime;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod?.Name switch
        {
            "get_Identity" => _identity,
            "Dispose" => null,
            var name => throw new InvalidOperationException($"{name}: planning a namespace must not reach the engine"),
        };
}
