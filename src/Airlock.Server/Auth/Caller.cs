using System.Security.Claims;
using Airlock.Server.Errors;

namespace Airlock.Server.Auth;

/// <summary>Who is calling: the key (directly, or through a token minted from it), its tenant (null: system) and role.</summary>
public sealed record Caller(string KeyId, string? TenantId, Role Role, string? Tier)
{
    public const string TenantClaim = "airlock:tenant";
    public const string RoleClaim = "airlock:role";
    public const string TierClaim = "airlock:tier";
    public const string KeyClaim = "airlock:key";

    public bool IsSystemAdmin => TenantId is null && Role == Role.Admin;

    /// <summary>The request came with a token minted from the key, not with the key itself.</summary>
    public bool ViaToken { get; init; }

    /// <summary>The generation of the key's tenant as read with the key: tokens minted now carry it.</summary>
    public string? TenantGeneration { get; init; }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(KeyClaim, KeyId), new(RoleClaim, Roles.Name(Role)) };
        if (TenantId is not null)
        {
            claims.Add(new Claim(TenantClaim, TenantId));
        }

        if (Tier is not null)
        {
            claims.Add(new Claim(TierClaim, Tier));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The caller's own tenant, when its role is at least <paramref name="least"/>; sandboxes always belong to the caller's tenant.</summary>
    public string RequireTenant(Role least)
    {
        if (TenantId is null)
        {
            throw ApiException.Forbidden("a system key manages tenants and keys but owns no sandboxes; use a key of the tenant (POST /v1/tenants/{tenant}/keys)");
        }

        if (Role < least)
        {
            throw ApiException.Forbidden($"this needs the {Roles.Name(least)} role in tenant '{TenantId}'; the key has {Roles.Name(Role)}");
        }

        return TenantId;
    }

    /// <summary>
    /// Access to tenant <paramref name="tenantId"/>'s resources: the system admin always; a tenant's own key with at least
    /// <paramref name="least"/>. Another tenant's key gets "not found", so it learns nothing of other tenants.
    /// </summary>
    public void RequireTenantAccess(string tenantId, Role least)
    {
        if (IsSystemAdmin)
        {
            return;
        }

        if (TenantId != tenantId)
        {
            throw ApiException.NotFound($"tenant '{tenantId}' does not exist");
        }

        if (Role < least)
        {
            throw ApiException.Forbidden($"this needs the {Roles.Name(least)} role in tenant '{tenantId}'; the key has {Roles.Name(Role)}");
        }
    }

    /// <summary>Refuses a caller that came with a token: keys and tokens are minted only with an API key.</summary>
    public void RequireApiKey(string what)
    {
        if (ViaToken)
        {
            throw ApiException.Forbidden($"{what} needs the API key itself, not a token: a token cannot mint keys or tokens; send 'Authorization: Bearer alk_...'");
        }
    }

    public void RequireSystemAdmin()
    {
        if (!IsSystemAdmin)
        {
            throw ApiException.Forbidden("this needs a system admin key (the bootstrap key, or one made with POST /v1/system/keys)");
        }
    }
}
