namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// What the MCP sandbox tools do, apart from how they are reached (stdio for <c>airlock mcp</c>, HTTP later for
/// <c>airlock serve</c>'s <c>/mcp</c>) and from where the sandboxes come from (the launcher's plan, a server's tenant).
/// Arguments reach it already checked by <see cref="SandboxToolset"/>; an implementation refuses any sandbox it did not
/// make with a <see cref="SandboxToolException"/>, and reports every other user-fixable problem the same way.
/// </summary>
public interface ISandboxTools
{
    /// <summary>Creates and starts a sandbox that lives until <see cref="DeleteAsync"/> (or the end of the tools' owner).</summary>
    Task<McpSandbox> CreateAsync(SandboxCreateRequest request, CancellationToken ct);

    Task<IReadOnlyList<McpSandbox>> ListAsync(CancellationToken ct);

    Task<CommandOutcome> RunAsync(string sandbox, CommandRequest request, CancellationToken ct);

    /// <summary>The file's bytes; refused past <see cref="SandboxToolLimits.MaxReadBytes"/>.</summary>
    Task<byte[]> ReadFileAsync(string sandbox, string path, CancellationToken ct);

    /// <summary>Writes (creates or replaces) the file, making its missing parent directories.</summary>
    Task WriteFileAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken ct);

    Task<SandboxFileListing> ListFilesAsync(string sandbox, string path, CancellationToken ct);

    /// <summary>
    /// Removes the sandbox and everything it held outside the project; returns what the agent should pass on now that it
    /// is gone (what it left in the project that host tools would run).
    /// </summary>
    Task<IReadOnlyList<string>> DeleteAsync(string sandbox, CancellationToken ct);
}
