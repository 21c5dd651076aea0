namespace Airlock.Server.Sandboxes;

/// <summary>
/// The first message of a terminal (<c>GET /v1/sandboxes/{id}/terminal</c>, a WebSocket): the command, and with
/// <see cref="Tty"/> (the default) a pseudo-terminal of <see cref="Columns"/> x <see cref="Rows"/>.
/// </summary>
public sealed record TerminalRequest
{
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public string? WorkingDirectory { get; init; }

    public bool? Tty { get; init; }

    public int? Columns { get; init; }

    public int? Rows { get; init; }
}
