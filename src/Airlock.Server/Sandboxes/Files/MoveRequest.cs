namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// <c>POST .../files/move</c>: renames <c>from</c> to <c>to</c>, both absolute paths in the sandbox. <c>to</c> is the new
/// path itself, not a directory to move into; a file there is replaced, a directory there only when it is empty.
/// </summary>
public sealed record MoveRequest(string? From, string? To);
