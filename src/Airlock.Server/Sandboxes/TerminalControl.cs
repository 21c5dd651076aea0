namespace Airlock.Server.Sandboxes;

/// <summary>A text message from a terminal's client: <c>resize</c> (with its size) or <c>eof</c> (closes the command's stdin).</summary>
public sealed record TerminalControl(string? Type, int? Columns = null, int? Rows = null)
{
    public const string Resize = "resize";
    public const string Eof = "eof";
}
