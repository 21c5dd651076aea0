using Airlock.Sandboxes.Validation;
using Airlock.Server.Audit;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Egress;

/// <summary>/v1/sandboxes/{id}/egress and /network: the connections an allowlist sandbox made, and its destinations; the caller's own tenant's sandboxes only.</summary>
public static class EgressEndpoints
{
    public const int MaxPageSize = 500;

    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/sandboxes").WithTags("sandboxes");
        group.MapGet("/{id}/egress", ListAsync).WithName("ListSandboxEgress").Produces<EgressRecordList>()
            .WithSummary("The connections an allowlist sandbox made through its egress proxy, oldest first (paged: limit, pageToken)");
        group.MapPut("/{id}/network", SetNetworkAsync).WithName("SetSandboxNetwork").Accepts<SandboxNetworkRequest>("application/json", "*/*").Produces<SandboxView>()
            .WithSummary("Change a running allowlist sandbox's destinations, within the tenant's egress ceiling (the mode cannot change)");
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, SandboxService sandboxes, EgressRecordStore records, AuditStore audit, TimeProvider time, string id, int? limit, string? pageToken)
    {
        var caller = context.Caller();
        var tenant = caller.RequireTenant(Role.Viewer);
        if (limit is < 1 or > MaxPageSize)
        {
            throw ApiException.Invalid("the query", [new ValidationError("query.limit", $"{limit} is not between 1 and {MaxPageSize}")]);
        }

        var after = pageToken is null ? null : PageToken.Decode(pageToken, EgressRecordIds.IsValid);
        var sandbox = await sandboxes.GetAsync(tenant, id, context.RequestAborted);
        var (items, next) = await records.PageAsync(tenant, sandbox.Id, after, limit ?? 100, context.RequestAborted);

        // Reading what a sandbox reached is recorded like a change: the records say where a tenant's code went.
        await audit.AppendAsync(
            new AuditRecord(time.GetUtcNow(), caller.KeyId, tenant, "GET /v1/sandboxes/{id}/egress", $"id={sandbox.Id}", "ok", StatusCodes.Status200OK),
            CancellationToken.None);
        return TypedResults.Ok(new EgressRecordList(items.Select(EgressRecordView.From).ToList(), next is null ? null : PageToken.Encode(next)));
    }

    private static async Task<IResult> SetNetworkAsync(HttpContext context, SandboxNetworkService networks, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<SandboxNetworkRequest>(context.Request);
        return TypedResults.Ok(SandboxView.From(await networks.SetAsync(tenant, id, request, context.RequestAborted)));
    }
}
