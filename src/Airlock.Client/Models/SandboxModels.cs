namespace Airlock.Client;

public sealed record SandboxLimits(double? Cpus, long? MemoryBytes, long? Pids);

public sealed record CreateSandboxBody(
    string Name,
    string Image,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string>? Env,
    IReadOnlyDictionary<string, string>? Labels,
    string? WorkingDirectory,
    SandboxLimits? Limits,
    SandboxNetwork? Network,
    string? Isolation,
    IReadOnlyList<string>? Secrets = null,
    int? TimeoutSeconds = null,
    string? OnTimeout = null,
    int? IdleTimeoutSeconds = null);

/// <summary>The body of <c>POST /v1/sandboxes/{id}/timeout</c>.</summary>
public sealed record TimeoutBody(int TimeoutSeconds);

/// <summary>
/// A sandbox's network, as a create and <c>PUT /v1/sandboxes/{id}/network</c> send it and the sandbox's view shows it:
/// mode none, allowlist or open, and an allowlist's destinations (absent in a body for the other modes).
/// </summary>
public sealed record SandboxNetwork(string Mode, IReadOnlyList<string>? Allow)
{
    /// <summary>For people: <c>none</c>, <c>open</c>, <c>allowlist: github.com, *.npmjs.org</c>.</summary>
    public string Describe() => Mode == "allowlist"
        ? $"allowlist: {(Allow is { Count: > 0 } allow ? string.Join(", ", allow) : "(nothing)")}"
        : Mode;
}

public sealed record Sandbox(
    string Id,
    string Name,
    string Tenant,
    string Image,
    string State,
    string Node,
    double Cpus,
    long MemoryBytes,
    IReadOnlyDictionary<string, string>? Labels,
    int? ExitCode,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Isolation = null,
    SandboxNetwork? Network = null,
    IReadOnlyList<string>? Secrets = null,
    DateTimeOffset? ExpiresAt = null,
    string? OnTimeout = null,
    int? IdleTimeoutSeconds = null);

public sealed record SandboxPage(IReadOnlyList<Sandbox> Items, string? NextPageToken) : IPage<Sandbox>;
