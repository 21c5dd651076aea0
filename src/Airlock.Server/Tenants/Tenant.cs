namespace Airlock.Server.Tenants;

public sealed record Tenant(string Id, string DisplayName, string Tier, TenantQuota Quota, TenantUsage Usage, DateTimeOffset CreatedAt)
{
    /// <summary>The isolation levels its sandboxes may use and their default (set by the system admin).</summary>
    public TenantIsolation Isolation { get; init; } = TenantIsolation.Open;
}
