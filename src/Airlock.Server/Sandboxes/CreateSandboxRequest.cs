namespace Airlock.Server.Sandboxes;

/// <summary>
/// The body of <c>POST /v1/sandboxes</c>. Everything not here stays closed: no host mounts, no published ports, no
/// devices and no capabilities are offered to tenants (unknown fields are refused, not ignored).
/// </summary>
public sealed record CreateSandboxRequest
{
    /// <summary>Unique in the tenant: lower-case letters, digits and '-', at most 63.</summary>
    public string? Name { get; init; }

    /// <summary>The image to run, e.g. localhost/airlock-base:bookworm.</summary>
    public string? Image { get; init; }

    /// <summary>A snapshot's id (from POST /v1/sandboxes/{id}/snapshots) instead of an image; the sandbox is placed on the snapshot's node.</summary>
    public string? Snapshot { get; init; }

    /// <summary>Place the sandbox on the node with the fewest of the tenant's sandboxes (tenant anti-affinity), then by the server's strategy.</summary>
    public bool? AntiAffinity { get; init; }

    /// <summary>A template's name (baked-in base, default, cli-agents, or the server user's own) instead of an image: its image is built once per node and content, then reused.</summary>
    public string? Template { get; init; }

    /// <summary>argv; the image's own command when absent.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public string? WorkingDirectory { get; init; }

    public SandboxLimitsRequest? Limits { get; init; }

    /// <summary>
    /// <c>{"mode": "none"|"allowlist"|"open", "allow": [...]}</c>, or <c>"none"</c> (the default) or <c>"bridge"</c> (open) as
    /// before: see <see cref="SandboxNetworkRequest"/>. Within the tenant's egress ceiling.
    /// </summary>
    public SandboxNetworkRequest? Network { get; init; }

    /// <summary>
    /// Names of the tenant's secrets the sandbox gets (only with network mode <c>allowlist</c>): each one's variable holds a
    /// placeholder, which the sandbox's egress proxy replaces with the value in requests to the secret's hosts.
    /// </summary>
    public IReadOnlyList<string>? Secrets { get; init; }

    /// <summary>
    /// <c>container</c> or <c>gvisor</c> (gVisor's runsc: the sandbox's system calls are served by gVisor's kernel, not the
    /// host's); the tenant's default when absent. Stored with the sandbox as resolved, so a restore keeps it.
    /// </summary>
    public string? Isolation { get; init; }

    /// <summary>Seconds the sandbox lives (1 to 30 days); then it is stopped, or deleted with <see cref="OnTimeout"/> <c>delete</c>. Extend it with <c>POST .../timeout</c>.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary><c>stop</c> (the default: it keeps its filesystem and quota until deleted) or <c>delete</c>.</summary>
    public string? OnTimeout { get; init; }

    /// <summary>Seconds the sandbox may run without being used through the API (exec, terminal, files, logs) before it ends as <see cref="OnTimeout"/> says.</summary>
    public int? IdleTimeoutSeconds { get; init; }
}
