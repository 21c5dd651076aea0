namespace Airlock.Server.Auth;

/// <summary>An API key as the API shows it: never its secret.</summary>
public sealed record ApiKeyInfo(string Id, string? TenantId, Role Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
