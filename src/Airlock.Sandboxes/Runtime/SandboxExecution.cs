using Airlock.Engine.Streams;

namespace Airlock.Sandboxes.Runtime;

/// <summary>A command started in a running sandbox: its stdio, its terminal size, a way to kill it and, once its output ends, its exit code.</summary>
public sealed class SandboxExecution(
    ProcessStream stream,
    Func<int, int, CancellationToken, Task> resize,
    Func<CancellationToken, Task<int>> exitCode,
    Func<CancellationToken, Task> kill)
{
    /// <summary>The command's id in its engine, to tell two commands in one sandbox apart in logs.</summary>
    public required string Id { get; init; }

    public ProcessStream Stream { get; } = stream;

    public Task ResizeAsync(int columns, int rows, CancellationToken ct) => resize(columns, rows, ct);

    /// <summary>The command's exit code; ask once its output has ended.</summary>
    public Task<int> GetExitCodeAsync(CancellationToken ct) => exitCode(ct);

    /// <summary>
    /// Sends SIGKILL to the command and every process it started that still carries its marker (see <see cref="ExecMarker"/>);
    /// its output then ends, and its exit code is 137.
    /// </summary>
    public Task KillAsync(CancellationToken ct) => kill(ct);
}
