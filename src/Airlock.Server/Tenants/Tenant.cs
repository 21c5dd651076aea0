namespace Airlock.Server.Tenants;

public sealed record Tenant(string Id, string DisplayName, string Tier, TenantQuota Quota, TenantUsage Usage, DateTimeOffset CreatedAt);
