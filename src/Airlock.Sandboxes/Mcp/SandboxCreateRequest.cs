namespace Airlock.Sandboxes.Mcp;

/// <summary><c>create_sandbox</c>'s choices; null ones take the defaults of whoever offers the tools.</summary>
/// <param name="Namespace">The launcher namespace whose image and settings the sandbox gets.</param>
/// <param name="Network">open, allowlist or none, overriding the namespace's.</param>
/// <param name="AllowConcurrent">Create it even when another sandbox works on the same project.</param>
public sealed record SandboxCreateRequest(string? Namespace, string? Network, bool AllowConcurrent);
