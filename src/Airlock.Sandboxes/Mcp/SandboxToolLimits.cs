namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// The bounds of the sandbox tools, each written once: a tool call's answer travels whole through one JSON-RPC message,
/// into an agent's context, so nothing a sandbox says may grow it without limit.
/// </summary>
public static class SandboxToolLimits
{
    /// <summary>
    /// The largest answer a tool gives, as JSON text. The official TypeScript SDK's stdio client drops the connection on a
    /// message over 10 MiB, so one answer stays well under it, JSON-RPC envelope included.
    /// </summary>
    public const int MaxAnswerBytes = 8 * 1024 * 1024;

    /// <summary>
    /// The largest file <c>read_file</c> returns: its base64 (a third larger) still fits in <see cref="MaxAnswerBytes"/>.
    /// </summary>
    public const int MaxReadBytes = 4 * 1024 * 1024;

    /// <summary>The largest content <c>write_file</c> takes (after base64 decoding).</summary>
    public const int MaxWriteBytes = 10 * 1024 * 1024;

    /// <summary>
    /// What <c>run_command</c> keeps of each of stdout and stderr; the rest is counted and dropped (and more is cut when
    /// JSON escaping, at most six bytes for one, would take the answer past <see cref="MaxAnswerBytes"/>).
    /// </summary>
    public const int MaxOutputBytes = 1024 * 1024;

    /// <summary>The largest stdin <c>run_command</c> feeds a command.</summary>
    public const int MaxStdinBytes = 1024 * 1024;

    public const int DefaultTimeoutSeconds = 120;

    public const int MaxTimeoutSeconds = 3600;

    /// <summary>The most entries <c>list_files</c> returns for one directory.</summary>
    public const int MaxListEntries = 5000;

    /// <summary>Linux's PATH_MAX: no longer path names a file.</summary>
    public const int MaxPathLength = 4096;

    /// <summary>A size for a message: 10 MiB, 512 KiB, 12 bytes.</summary>
    public static string Describe(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB"
        : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? $"{bytes >> 10} KiB"
        : $"{bytes} bytes";
}
