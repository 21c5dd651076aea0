namespace Airlock.Server.Sandboxes.Files;

/// <summary>A directory's entries (not recursive), sorted by name; at most <see cref="ServerLimits.MaxListEntries"/>.</summary>
public sealed record SandboxFileList(string Path, IReadOnlyList<SandboxFileEntry> Entries);
