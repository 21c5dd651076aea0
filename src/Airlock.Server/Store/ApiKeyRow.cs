using Airlock.Server.Auth;

namespace Airlock.Server.Store;

internal sealed class ApiKeyRow
{
    public string Id { get; set; } = "";
    public string? Tenant_Id { get; set; }
    public string Role { get; set; } = "";
    public string Name { get; set; } = "";
    public string Secret_Hash { get; set; } = "";
    public long Created_At { get; set; }
    public long? Revoked_At { get; set; }
    public string? Tier { get; set; }

    /// <summary>The generation of the key's tenant (read with the key; null for a system key).</summary>
    public string? Generation { get; set; }

    public ApiKeyInfo ToInfo() => new(
        Id,
        Tenant_Id,
        Roles.TryParse(Role, out var role) ? role : Auth.Role.Viewer,
        Name,
        DateTimeOffset.FromUnixTimeMilliseconds(Created_At),
        Revoked_At is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
}
