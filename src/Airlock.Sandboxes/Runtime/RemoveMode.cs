namespace Airlock.Sandboxes.Runtime;

/// <summary>How <see cref="ISandboxRuntime.RemoveAsync"/> waits.</summary>
public enum RemoveMode
{
    /// <summary>Returns once the sandbox is gone.</summary>
    Wait,

    /// <summary>
    /// For a sandbox whose process has ended and whose exit code was read: the engine may finish the removal after the
    /// call returns, where waiting would only add the engine's teardown to the person's wait.
    /// </summary>
    Detached,
}
