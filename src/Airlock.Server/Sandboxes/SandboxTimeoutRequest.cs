namespace Airlock.Server.Sandboxes;

/// <summary>The body of <c>POST /v1/sandboxes/{id}/timeout</c>: the seconds from now until the sandbox ends.</summary>
public sealed record SandboxTimeoutRequest(int? TimeoutSeconds);
