namespace Airlock.Server.Tenants;

public sealed record Tenant(string Id, string DisplayName, string Tier, TenantQuota Quota, TenantUsage Usage, DateTimeOffset CreatedAt)
{
    /// <summary>The isolation levels its sandboxes may use and their default (set by the system admin).</summary>
    public TenantIsolation Isolation { get; init; } = TenantIsolation.Open;

    /// <summary>The most network its sandboxes may have (set by the system admin).</summary>
    public TenantEgress Egress { get; init; } = TenantEgress.Default;
}
