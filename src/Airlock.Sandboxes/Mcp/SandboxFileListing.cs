namespace Airlock.Sandboxes.Mcp;

/// <summary>What <c>list_files</c> found at a path: its entries by name, at most <see cref="SandboxToolLimits.MaxListEntries"/>.</summary>
public sealed record SandboxFileListing(string Path, IReadOnlyList<SandboxFileEntry> Entries, bool Truncated);
