namespace Airlock.Client;

public sealed record QuotaBody(long? MaxSandboxes, double? MaxCpus, long? MaxMemoryBytes, string? Tier);

public sealed record CreateTenantBody(string Id, string? DisplayName, string? Tier, QuotaBody? Quota, IsolationBody? Isolation, EgressCeilingBody? Egress);

/// <summary>A tenant's isolation policy: the levels it may use and its default (absent: keep what it has).</summary>
public sealed record IsolationBody(IReadOnlyList<string>? Allowed, string? Default);

public sealed record TenantQuota(long MaxSandboxes, double MaxCpus, long MaxMemoryBytes);

public sealed record TenantUsage(long Sandboxes, double Cpus, long MemoryBytes);

public sealed record Tenant(string Id, string DisplayName, string Tier, TenantQuota Quota, TenantUsage Usage, DateTimeOffset CreatedAt, IsolationBody? Isolation = null, EgressCeilingBody? Egress = null);
