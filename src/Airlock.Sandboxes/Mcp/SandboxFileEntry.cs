namespace Airlock.Sandboxes.Mcp;

/// <summary>One entry of <c>list_files</c>.</summary>
/// <param name="Type">file, directory, symlink or other.</param>
public sealed record SandboxFileEntry(string Name, string Path, string Type, long Size);
