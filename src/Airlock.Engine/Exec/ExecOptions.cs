namespace Airlock.Engine.Exec;

/// <summary>A command to run inside a running container.</summary>
public sealed record ExecOptions
{
    public required IReadOnlyList<string> Command { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? User { get; init; }
    public string? WorkingDirectory { get; init; }
    public bool Tty { get; init; }
    public bool AttachStdin { get; init; }
}
