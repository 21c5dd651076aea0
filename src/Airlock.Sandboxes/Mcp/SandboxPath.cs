namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// A path inside a sandbox as the file tools take it: absolute, so it never depends on a working directory the agent
/// cannot see, and handed to the sandbox's own tools as one argv word, never through a shell.
/// </summary>
public static class SandboxPath
{
    /// <summary>What is wrong with <paramref name="path"/> (given as <paramref name="where"/>), or null when it can be used.</summary>
    public static string? Problem(string where, string? path) =>
        path is null or "" ? $"{where}: required; give an absolute path inside the sandbox, e.g. /tmp/notes.txt or the project's path"
        : path[0] != '/' ? $"{where}: '{path}' is relative; give an absolute path inside the sandbox (the project is mounted at the same path as on the host, see create_sandbox's workingDirectory)"
        : path.Contains('\0', StringComparison.Ordinal) ? $"{where}: contains a NUL character, which no file name can hold"
        : path.Length > SandboxToolLimits.MaxPathLength ? $"{where}: {path.Length} characters, longer than any path Linux opens ({SandboxToolLimits.MaxPathLength})"
        : null;
}
