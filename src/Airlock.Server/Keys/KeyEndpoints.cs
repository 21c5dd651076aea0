using Airlock.Sandboxes.Validation;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Keys;

/// <summary>API keys of a tenant (its admins and the system admin), system keys (system admin), and tokens minted from a key.</summary>
public static class KeyEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var tenantKeys = v1.MapGroup("/tenants/{tenant}/keys").WithTags("keys");
        tenantKeys.MapPost("", CreateTenantKeyAsync).WithName("CreateTenantKey").Accepts<CreateKeyRequest>("application/json", "*/*").Produces<CreatedKeyView>(201).WithSummary("Create a key of the tenant (its secret is shown once)");
        tenantKeys.MapGet("", ListTenantKeysAsync).WithName("ListTenantKeys").Produces<IReadOnlyList<KeyView>>().WithSummary("List the tenant's keys");
        tenantKeys.MapDelete("/{keyId}", RevokeTenantKeyAsync).WithName("RevokeTenantKey").Produces(204).WithSummary("Revoke a key of the tenant");

        var systemKeys = v1.MapGroup("/system/keys").WithTags("keys");
        systemKeys.MapPost("", CreateSystemKeyAsync).WithName("CreateSystemKey").Accepts<CreateKeyRequest>("application/json", "*/*").Produces<CreatedKeyView>(201).WithSummary("Create a system key (system admin)");
        systemKeys.MapGet("", ListSystemKeysAsync).WithName("ListSystemKeys").Produces<IReadOnlyList<KeyView>>().WithSummary("List system keys (system admin)");
        systemKeys.MapDelete("/{keyId}", RevokeSystemKeyAsync).WithName("RevokeSystemKey").Produces(204).WithSummary("Revoke a system key (system admin)");

        v1.MapPost("/tokens", IssueTokenAsync).WithName("IssueToken").WithTags("keys").Accepts<TokenRequest>("application/json", "*/*").Produces<TokenView>(201).WithSummary("Exchange the presented API key for a short-lived JWT");
    }

    private static async Task<IResult> CreateTenantKeyAsync(HttpContext context, ApiKeyStore keys, TenantStore tenants, string tenant)
    {
        var caller = context.Caller();
        caller.RequireTenantAccess(tenant, Role.Admin);
        caller.RequireApiKey("creating a key");
        _ = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        var (name, role) = await ReadKeyRequestAsync(context);
        var (info, key) = await keys.CreateAsync(tenant, role, name, context.RequestAborted);
        return TypedResults.Created($"/v1/tenants/{tenant}/keys/{info.Id}", new CreatedKeyView(info.Id, tenant, Roles.Name(role), name, key, info.CreatedAt));
    }

    private static async Task<IResult> ListTenantKeysAsync(HttpContext context, ApiKeyStore keys, string tenant)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Admin);
        return TypedResults.Ok((await keys.ListAsync(tenant, context.RequestAborted)).Select(KeyView.From).ToList());
    }

    private static async Task<IResult> RevokeTenantKeyAsync(HttpContext context, ApiKeyStore keys, string tenant, string keyId)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Admin);
        return await keys.RevokeAsync(tenant, keyId, context.RequestAborted)
            ? TypedResults.NoContent()
            : throw ApiException.NotFound($"key '{Names.Shorten(keyId)}' is not an active key of tenant '{tenant}'");
    }

    private static async Task<IResult> CreateSystemKeyAsync(HttpContext context, ApiKeyStore keys)
    {
        var caller = context.Caller();
        caller.RequireSystemAdmin();
        caller.RequireApiKey("creating a key");
        var (name, role) = await ReadKeyRequestAsync(context);
        if (role != Role.Admin)
        {
            throw ApiException.BadRequest("key.role: system keys are admin keys; for narrower access create a tenant key");
        }

        var (info, key) = await keys.CreateAsync(null, role, name, context.RequestAborted);
        return TypedResults.Created($"/v1/system/keys/{info.Id}", new CreatedKeyView(info.Id, null, Roles.Name(role), name, key, info.CreatedAt));
    }

    private static async Task<IResult> ListSystemKeysAsync(HttpContext context, ApiKeyStore keys)
    {
        context.Caller().RequireSystemAdmin();
        return TypedResults.Ok((await keys.ListAsync(null, context.RequestAborted)).Select(KeyView.From).ToList());
    }

    private static async Task<IResult> RevokeSystemKeyAsync(HttpContext context, ApiKeyStore keys, string keyId)
    {
        var caller = context.Caller();
        caller.RequireSystemAdmin();
        if (caller.KeyId == keyId)
        {
            throw ApiException.Conflict("a key cannot revoke itself (the server would be left without a way in); revoke it with another system key");
        }

        return await keys.RevokeAsync(null, keyId, context.RequestAborted)
            ? TypedResults.NoContent()
            : throw ApiException.NotFound($"key '{Names.Shorten(keyId)}' is not an active system key");
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext context, TokenService tokens)
    {
        var caller = context.Caller();
        caller.RequireApiKey("minting a token");

        var request = context.Request.ContentType is null && context.Request.ContentLength is null or 0 ? new TokenRequest() : await JsonBody.ReadAsync<TokenRequest>(context.Request);
        var ttl = request.TtlSeconds ?? 900;
        if (ttl < 60 || ttl > TokenService.MaxLifetime.TotalSeconds)
        {
            throw ApiException.BadRequest($"token.ttlSeconds: {ttl} is not between 60 and {(int)TokenService.MaxLifetime.TotalSeconds}");
        }

        var (token, expires) = tokens.Issue(caller, TimeSpan.FromSeconds(ttl));
        return TypedResults.Created((string?)null, new TokenView(token, "Bearer", expires));
    }

    private static async Task<(string Name, Role Role)> ReadKeyRequestAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync<CreateKeyRequest>(context.Request);
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100 || request.Name.Any(char.IsControl))
        {
            errors.Add("key.name", "must be 1 to 100 printable characters saying what the key is for");
        }

        if (!Roles.TryParse(request.Role, out var role))
        {
            errors.Add("key.role", $"'{Names.Shorten(request.Role ?? "")}' is not viewer, operator or admin");
        }

        errors.ThrowIfAny("key");
        return (request.Name!, role);
    }
}
