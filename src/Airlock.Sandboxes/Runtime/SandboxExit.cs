using Airlock.Engine.Containers;

namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// How a sandbox that was running has ended, read from its container: gone from the engine, or exited with its code
/// (and why, when the kernel killed it for memory). The one reading of a container's end, for every place that
/// records it.
/// </summary>
public sealed record SandboxExit(bool Gone, int? ExitCode, string? Reason)
{
    public const string OutOfMemory = "killed: out of memory (it used more than its memory limit)";

    /// <summary>Null while <paramref name="container"/> runs; null for <paramref name="container"/> means the engine has no such container.</summary>
    public static SandboxExit? Of(ContainerDetails? container) => container switch
    {
        null => new SandboxExit(Gone: true, ExitCode: null, Reason: null),
        { State.Running: true } => null,
        _ => new SandboxExit(Gone: false, container.State.ExitCode, container.State.OOMKilled ? OutOfMemory : null),
    };
}
