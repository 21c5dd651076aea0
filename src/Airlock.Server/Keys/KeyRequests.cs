using Airlock.Server.Auth;

namespace Airlock.Server.Keys;

public sealed record CreateKeyRequest
{
    /// <summary>What the key is for (shown in listings).</summary>
    public string? Name { get; init; }

    /// <summary>viewer, operator or admin.</summary>
    public string? Role { get; init; }
}

public sealed record KeyView(string Id, string? Tenant, string Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyView From(ApiKeyInfo k) => new(k.Id, k.TenantId, Roles.Name(k.Role), k.Name, k.CreatedAt, k.RevokedAt);
}

/// <summary>A new key with its secret: shown this once, kept only hashed.</summary>
public sealed record CreatedKeyView(string Id, string? Tenant, string Role, string Name, string Key, DateTimeOffset CreatedAt);

public sealed record TokenRequest
{
    /// <summary>Lifetime in seconds (60 to 3600; 900 when absent).</summary>
    public int? TtlSeconds { get; init; }
}

public sealed record TokenView(string Token, string TokenType, DateTimeOffset ExpiresAt);
