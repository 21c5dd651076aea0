namespace Airlock.Client;

/// <summary>A path in a sandbox, as <c>GET .../files/stat</c> answers it.</summary>
public sealed record SandboxFile(string Name, string Path, string Kind, long Size, string Mode, DateTimeOffset Modified, string? LinkTarget);

public sealed record MkdirBody(string Path, bool Parents);

/// <summary>A directory's entries, as <c>GET .../files/list</c> answers.</summary>
public sealed record SandboxFileList(string Path, IReadOnlyList<SandboxFile> Entries);

/// <summary>The body of <c>POST .../files/move</c>: <see cref="To"/> is the new path itself.</summary>
public sealed record MoveBody(string From, string To);
