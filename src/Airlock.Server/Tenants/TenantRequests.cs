namespace Airlock.Server.Tenants;

public sealed record CreateTenantRequest
{
    /// <summary>The tenant's id, used in URLs: lower-case letters, digits and '-'.</summary>
    public string? Id { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>Rate-limit tier (free, standard, premium, unlimited); the server's default when absent.</summary>
    public string? Tier { get; init; }

    public QuotaRequest? Quota { get; init; }

    /// <summary>Images this tenant may use besides the server's --allow-image list (repositories or references in full).</summary>
    public IReadOnlyList<string>? Images { get; init; }

    /// <summary>The isolation levels the tenant may use and its default; every level, default container, when absent.</summary>
    public IsolationRequest? Isolation { get; init; }

    /// <summary>The tenant's egress ceiling; open allowed and no address rules (<see cref="TenantEgress.Default"/>) when absent.</summary>
    public EgressCeilingRequest? Egress { get; init; }
}

/// <summary>
/// The body of <c>PUT /v1/tenants/{tenant}/egress</c>: whether the tenant's sandboxes may be open, and the destinations
/// (host, <c>*.suffix</c>, <c>host:port</c>, address or range) an allowlist may name beyond public host names. An absent
/// field keeps its current value.
/// </summary>
public sealed record EgressCeilingRequest
{
    public IReadOnlyList<string>? Allow { get; init; }

    public bool? Open { get; init; }
}

/// <summary>A tenant's egress ceiling as the API shows it.</summary>
public sealed record EgressCeilingView(IReadOnlyList<string> Allow, bool Open)
{
    public static EgressCeilingView From(TenantEgress egress) => new([.. egress.Allow.Select(r => r.ToString())], egress.Open);
}

/// <summary>
/// The body of <c>PUT /v1/tenants/{tenant}/isolation</c>: the levels (container, gvisor) the tenant may use and the one
/// a create that names none gets. <c>{"allowed": ["gvisor"]}</c> forces the tenant onto gVisor. An absent field keeps its
/// current value; a default outside the new allowed list becomes the strongest allowed level.
/// </summary>
public sealed record IsolationRequest
{
    public IReadOnlyList<string>? Allowed { get; init; }

    public string? Default { get; init; }
}

/// <summary>A tenant's isolation policy as the API shows it.</summary>
public sealed record IsolationView(IReadOnlyList<string> Allowed, string Default)
{
    public static IsolationView From(TenantIsolation isolation) =>
        new([.. isolation.Allowed.Select(Airlock.Sandboxes.Specs.IsolationLevels.Name)], Airlock.Sandboxes.Specs.IsolationLevels.Name(isolation.Default));
}

/// <summary>The body of <c>PUT /v1/tenants/{tenant}/images</c>: the tenant's own list, replacing what it had.</summary>
public sealed record TenantImagesRequest
{
    public IReadOnlyList<string>? Images { get; init; }
}

/// <summary>What a tenant may name in <c>image</c>: the server's list and its own (templates and its snapshots besides).</summary>
public sealed record TenantImagesView(IReadOnlyList<string> Server, IReadOnlyList<string> Tenant);

/// <summary>A quota as the API takes it; an absent field keeps the current (or default) value.</summary>
public sealed record QuotaRequest
{
    public long? MaxSandboxes { get; init; }

    public double? MaxCpus { get; init; }

    public long? MaxMemoryBytes { get; init; }

    public string? Tier { get; init; }
}

public sealed record QuotaView(long MaxSandboxes, double MaxCpus, long MaxMemoryBytes);

public sealed record UsageView(long Sandboxes, double Cpus, long MemoryBytes);

public sealed record TenantView(string Id, string DisplayName, string Tier, QuotaView Quota, UsageView Usage, IsolationView Isolation, EgressCeilingView Egress, DateTimeOffset CreatedAt)
{
    public static TenantView From(Tenant t) => new(
        t.Id,
        t.DisplayName,
        t.Tier,
        new QuotaView(t.Quota.MaxSandboxes, t.Quota.MaxCpuMillis / 1000.0, t.Quota.MaxMemoryBytes),
        new UsageView(t.Usage.Sandboxes, t.Usage.CpuMillis / 1000.0, t.Usage.MemoryBytes),
        IsolationView.From(t.Isolation),
        EgressCeilingView.From(t.Egress),
        t.CreatedAt);
}
