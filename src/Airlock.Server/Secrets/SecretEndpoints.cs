using Airlock.Server.Audit;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Secrets;

/// <summary>
/// /v1/tenants/{tenant}/secrets: a tenant's admins (and the system admin) set, list and delete its secrets. No route
/// answers with a value, whoever asks: a value goes in once and comes out only in requests to its hosts.
/// </summary>
public static class SecretEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/tenants/{tenant}/secrets").WithTags("secrets");
        group.MapPost("", SetAsync).WithName("SetSecret").Accepts<SetSecretRequest>("application/json", "*/*").Produces<SecretView>(201).Produces<SecretView>()
            .WithSummary("Create a secret, or replace one of that name (a rotated value): 201 when new, 200 when replaced; never answers the value");
        group.MapGet("", ListAsync).WithName("ListSecrets").Produces<IReadOnlyList<SecretView>>().WithSummary("The tenant's secrets: names, variables, hosts, where they go, times; never values");
        group.MapGet("/{name}", GetAsync).WithName("GetSecret").Produces<SecretView>().WithSummary("One secret, without its value");
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteSecret").Produces(204).WithSummary("Delete a secret: running sandboxes' proxies stop filling it in");
    }

    private static async Task<IResult> SetAsync(HttpContext context, TenantSecretService secrets, string tenant)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Admin);
        var request = await JsonBody.ReadAsync<SetSecretRequest>(context.Request);
        if (request.Name is { } named)
        {
            // A name that is not one (a 400 follows) is not copied into the log: it could hold anything.
            AuditTarget.Add(context, "name=" + (SecretRules.NameProblem(named) is null ? named : "(invalid)"));
        }

        var (secret, created) = await secrets.SetAsync(tenant, request, context.RequestAborted);
        var view = SecretView.From(secret);
        return created ? TypedResults.Created($"/v1/tenants/{tenant}/secrets/{secret.Name}", view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> ListAsync(HttpContext context, TenantSecretStore store, TenantStore tenants, string tenant)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Admin);
        _ = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        return TypedResults.Ok((await store.ListAsync(tenant, context.RequestAborted)).Select(SecretView.From).ToList());
    }

    private static async Task<IResult> GetAsync(HttpContext context, TenantSecretStore store, string tenant, string name)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Admin);
        var secret = await store.GetAsync(tenant, name, context.RequestAborted) ?? throw NotFound(tenant, name);
        return TypedResults.Ok(SecretView.From(secret));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, TenantSecretService secrets, string tenant, string name)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Admin);
        return await secrets.DeleteAsync(tenant, name, context.RequestAborted) ? TypedResults.NoContent() : throw NotFound(tenant, name);
    }

    private static ApiException NotFound(string tenant, string name) =>
        ApiException.NotFound($"secret '{Names.Shorten(name)}' does not exist in tenant '{Names.Shorten(tenant)}'; list them with GET /v1/tenants/{Names.Shorten(tenant)}/secrets");
}
