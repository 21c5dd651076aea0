namespace Airlock.Sandboxes.Mcp;

/// <summary><c>list_sandboxes</c>' answer (a tool's structured result is always an object).</summary>
public sealed record SandboxList(IReadOnlyList<McpSandbox> Sandboxes);

/// <summary><c>read_file</c>'s answer: text when the file is UTF-8, else base64.</summary>
/// <param name="Encoding">utf-8 or base64: how <see cref="Content"/> holds the bytes.</param>
public sealed record FileRead(string Path, long Size, string Encoding, string Content);

/// <summary><c>write_file</c>'s answer.</summary>
public sealed record FileWritten(string Path, long Size);

/// <summary><c>delete_sandbox</c>'s answer, with what the sandbox left in the project that the person should check.</summary>
public sealed record SandboxDeleted(string Sandbox, bool Deleted, IReadOnlyList<string> Notices);
