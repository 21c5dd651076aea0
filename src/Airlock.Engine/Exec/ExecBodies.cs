namespace Airlock.Engine.Exec;

internal sealed class ExecCreateBody
{
    public required IReadOnlyList<string> Cmd { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool Tty { get; init; }
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; } = true;
    public bool AttachStderr { get; init; } = true;
}

internal sealed class ExecStartBody
{
    public bool Detach { get; init; }
    public bool Tty { get; init; }
}

/// <summary>GET /exec/{id}/json: whether the command still runs and, once done, its exit code.</summary>
public sealed class ExecDetails
{
    public string ID { get; init; } = "";
    public bool Running { get; init; }
    public int? ExitCode { get; init; }
    public int Pid { get; init; }
}
