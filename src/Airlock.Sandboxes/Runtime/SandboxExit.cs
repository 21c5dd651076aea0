namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// How a sandbox that was running has ended: gone from the engine, or exited with its code (and why, when the kernel
/// killed it for memory). The one reading of a sandbox's end, for every place that records it.
/// </summary>
public sealed record SandboxExit(bool Gone, int? ExitCode, string? Reason)
{
    public const string OutOfMemory = "killed: out of memory (it used more than its memory limit)";

    /// <summary>Null while <paramref name="sandbox"/> runs; null for <paramref name="sandbox"/> means the engine has no such sandbox.</summary>
    public static SandboxExit? Of(SandboxInfo? sandbox) => sandbox switch
    {
        null => new SandboxExit(Gone: true, ExitCode: null, Reason: null),
        { Running: true } => null,
        _ => new SandboxExit(Gone: false, sandbox.ExitCode, sandbox.OomKilled ? OutOfMemory : null),
    };
}
