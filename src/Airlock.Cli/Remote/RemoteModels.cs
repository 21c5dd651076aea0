namespace Airlock.Cli.Remote;

// The server's API as the client sees it (docs/serve.md). The client has its own records rather than the server's
// types, so `airlock sandbox ...` never loads the server assembly or ASP.NET Core, and reads answers tolerantly.

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

public sealed record SandboxPage(IReadOnlyList<Sandbox> Items, string? NextPageToken);

/// <summary>
/// One connection an allowlist sandbox made through its egress proxy. <see cref="Host"/> is empty for one that closed
/// before naming a destination; <see cref="Address"/> is what the proxy connected to, or would have.
/// </summary>
public sealed record SandboxEgressRecord(
    DateTimeOffset Time,
    string Host,
    int Port,
    string? Address,
    string Protocol,
    string Verdict,
    string Reason,
    long BytesUp,
    long BytesDown,
    long DurationMs);

public sealed record EgressRecordPage(IReadOnlyList<SandboxEgressRecord> Items, string? NextPageToken);

public sealed record ExecBody(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? Env, string? WorkingDirectory, string? Stdin, int? TimeoutSeconds);

/// <summary>An exec's answer; <see cref="ExitCode"/> is absent when <see cref="TimedOut"/>.</summary>
public sealed record ExecResult(int? ExitCode, string Stdout, string Stderr, bool Truncated, bool TimedOut);

/// <summary>One line of a streamed exec, or a terminal's last message: stdout, stderr, exit or error.</summary>
public sealed record ExecEvent(string Type, string? Data, int? ExitCode, bool? TimedOut, int? Status, string? Title, string? Detail);

/// <summary>A terminal's first message: the command, and with a TTY its size.</summary>
public sealed record TerminalStart(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? Env, string? WorkingDirectory, bool Tty, int? Columns, int? Rows);

/// <summary>A terminal's control message: resize (with the size) or eof.</summary>
public sealed record TerminalControl(string Type, int? Columns, int? Rows);

public sealed record SnapshotBody(string? Name);

public sealed record Snapshot(string Id, string Name, string SandboxId, string Image, DateTimeOffset CreatedAt);

public sealed record QuotaBody(long? MaxSandboxes, double? MaxCpus, long? MaxMemoryBytes, string? Tier);

public sealed record CreateTenantBody(string Id, string? DisplayName, string? Tier, QuotaBody? Quota, IsolationBody? Isolation, EgressCeilingBody? Egress);

/// <summary>A tenant's isolation policy: the levels it may use and its default (absent: keep what it has).</summary>
public sealed record IsolationBody(IReadOnlyList<string>? Allowed, string? Default);

/// <summary>
/// A tenant's egress ceiling: whether its sandboxes may be open, and what an allowlist may name beyond public host
/// names (absent in a body: keep what it has).
/// </summary>
public sealed record EgressCeilingBody(IReadOnlyList<string>? Allow, bool? Open)
{
    public string DescribeOpen() => Open is false ? "no" : "yes";

    public string DescribeAllow() => Allow is { Count: > 0 } allow ? string.Join(", ", allow) : "(none)";
}

public sealed record TenantQuota(long MaxSandboxes, double MaxCpus, long MaxMemoryBytes);

public sealed record TenantUsage(long Sandboxes, double Cpus, long MemoryBytes);

public sealed record Tenant(string Id, string DisplayName, string Tier, TenantQuota Quota, TenantUsage Usage, DateTimeOffset CreatedAt, IsolationBody? Isolation = null, EgressCeilingBody? Egress = null);

public sealed record CreateKeyBody(string Name, string Role);

public sealed record ApiKey(string Id, string? Tenant, string Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKey(string Id, string? Tenant, string Role, string Name, string Key, DateTimeOffset CreatedAt);

public sealed record ProblemField(string Path, string Message);

/// <summary>An RFC 7807 answer: every error the server sends.</summary>
public sealed record Problem(string? Title, int? Status, string? Detail, IReadOnlyList<ProblemField>? Errors);

/// <summary>The body of <c>POST /v1/tenants/{tenant}/secrets</c>. Its printed form leaves the value out.</summary>
public sealed record SetSecretBody(string Name, string Value, IReadOnlyList<string> Hosts, string? Inject, string? Variable)
{
    public override string ToString() => $"SetSecretBody {{ Name = {Name}, Value = [secret] }}";
}

/// <summary>A tenant secret as the server shows it: everything but the value.</summary>
public sealed record SecretInfo(string Name, string Variable, IReadOnlyList<string> Hosts, string Inject, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A path in a sandbox, as <c>GET .../files/stat</c> answers it.</summary>
public sealed record SandboxFile(string Name, string Path, string Kind, long Size, string Mode, DateTimeOffset Modified, string? LinkTarget);

public sealed record MkdirBody(string Path, bool Parents);
