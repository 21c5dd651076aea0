namespace Airlock.Server.Sandboxes;

/// <summary>The body of <c>POST /v1/sandboxes/{id}/exec</c>: a command run to completion inside the running sandbox.</summary>
public sealed record ExecRequest
{
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Text fed to the command's stdin, then closed.</summary>
    public string? Stdin { get; init; }

    /// <summary>How long the command may run before it is killed and the answer given without its exit code (1 to 3600; 300 when absent).</summary>
    public int? TimeoutSeconds { get; init; }
}
