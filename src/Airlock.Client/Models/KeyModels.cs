namespace Airlock.Client;

public sealed record CreateKeyBody(string Name, string Role);

public sealed record ApiKey(string Id, string? Tenant, string Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKey(string Id, string? Tenant, string Role, string Name, string Key, DateTimeOffset CreatedAt);
