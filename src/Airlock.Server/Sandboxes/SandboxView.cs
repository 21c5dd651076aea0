using System.Text.Json;
using Airlock.Sandboxes.Specs;

namespace Airlock.Server.Sandboxes;

/// <summary>A sandbox as the API shows it.</summary>
public sealed record SandboxView(
    string Id,
    string Name,
    string Tenant,
    string Image,
    string? Template,
    string Isolation,
    SandboxNetworkRequest Network,
    string State,
    string Node,
    double Cpus,
    long MemoryBytes,
    IReadOnlyDictionary<string, string> Labels,
    int? ExitCode,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The names of the tenant secrets the sandbox was given (its proxy fills them in); never their values.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>When it ends by itself (absent when it lives until deleted).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>What ending means: stop or delete (absent without a lifetime).</summary>
    public string? OnTimeout { get; init; }

    public int? IdleTimeoutSeconds { get; init; }

    public DateTimeOffset? LastActiveAt { get; init; }

    public static SandboxView From(SandboxRecord r)
    {
        var stored = StoredRequest(r.Spec);
        return new(r.Id, r.Name, r.TenantId, r.Image, stored?.Template, stored?.Isolation ?? IsolationLevels.ContainerName, NetworkOf(stored), r.State, r.Node,
            r.CpuMillis / 1000.0, r.MemoryBytes, r.Labels, r.ExitCode, r.Error, r.CreatedAt, r.UpdatedAt)
        {
            Secrets = stored?.Secrets ?? [],
            ExpiresAt = r.Lifetime?.ExpiresAt,
            OnTimeout = r.Lifetime?.OnTimeout,
            IdleTimeoutSeconds = r.Lifetime?.IdleTimeout is { } idle ? (int)idle.TotalSeconds : null,
            LastActiveAt = r.Lifetime?.IdleTimeout is null ? null : r.Lifetime.LastActiveAt,
        };
    }

    /// <summary>
    /// The network in the object form: rows from before it stored <c>"bridge"</c> (open), <c>"none"</c> or nothing (none).
    /// </summary>
    private static SandboxNetworkRequest NetworkOf(CreateSandboxRequest? stored) => stored?.Network switch
    {
        null => new(SandboxNetworkRequest.None, []),
        { Mode: SandboxNetworkRequest.Bridge } => new(SandboxNetworkRequest.Open, []),
        { } network => new(network.Mode, network.Allow ?? []),
    };

    /// <summary>
    /// The stored create request: the template the sandbox was made from, its isolation level (absent in rows from
    /// before levels existed, which ran as ordinary containers), its network. Null when it cannot be read.
    /// </summary>
    private static CreateSandboxRequest? StoredRequest(string spec)
    {
        try
        {
            return JsonSerializer.Deserialize<CreateSandboxRequest>(spec, ServerJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
