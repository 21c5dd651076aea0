using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Snapshots;

/// <summary>Snapshots of a tenant's sandboxes, restore from them, and the memory checkpoints this server cannot make.</summary>
public static class SnapshotEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var sandbox = v1.MapGroup("/sandboxes/{id}").WithTags("snapshots");
        sandbox.MapPost("/snapshots", CreateAsync).WithName("CreateSnapshot").Accepts<CreateSnapshotRequest>("application/json", "*/*").Produces<SnapshotView>(201)
            .WithSummary("Commit the sandbox's filesystem to a snapshot image");
        sandbox.MapPost("/restore", RestoreAsync).WithName("RestoreSandbox").Accepts<RestoreRequest>("application/json", "*/*").Produces<SandboxView>()
            .WithSummary("Recreate the sandbox's container from a snapshot, keeping its id");
        sandbox.MapPost("/checkpoints", CheckpointAsync).WithName("CheckpointSandbox").Produces(501).WithSummary("Memory checkpoints: not available (CRIU does not work here)");

        var group = v1.MapGroup("/snapshots").WithTags("snapshots");
        group.MapGet("", ListAsync).WithName("ListSnapshots").Produces<SnapshotList>().WithSummary("List snapshots (paged)");
        group.MapGet("/{snapshotId}", GetAsync).WithName("GetSnapshot").Produces<SnapshotView>().WithSummary("Get a snapshot");
        group.MapDelete("/{snapshotId}", DeleteAsync).WithName("DeleteSnapshot").Produces(204).WithSummary("Delete a snapshot and its image (409 while a sandbox uses it)");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SnapshotService snapshots, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<CreateSnapshotRequest>(context.Request);
        var created = await snapshots.CreateAsync(tenant, id, request, context.RequestAborted);
        return TypedResults.Created($"/v1/snapshots/{created.Id}", SnapshotView.From(created));
    }

    private static async Task<IResult> RestoreAsync(HttpContext context, SnapshotService snapshots, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<RestoreRequest>(context.Request);
        return TypedResults.Ok(SandboxView.From(await snapshots.RestoreAsync(tenant, id, request, context.RequestAborted)));
    }

    /// <summary>The sandbox must exist in the caller's tenant (else 404 as everywhere); then 501, never a pretend checkpoint.</summary>
    private static async Task<IResult> CheckpointAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        await sandboxes.GetAsync(tenant, id, context.RequestAborted);
        throw new ApiException(501, "checkpoints not available",
            "memory checkpoints need CRIU, which does not work on this server's kernel and engines; "
            + "take a filesystem snapshot instead (POST /v1/sandboxes/{id}/snapshots): it keeps files, not running processes");
    }

    private static async Task<IResult> ListAsync(HttpContext context, SnapshotStore store, int? limit, string? pageToken)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        if (limit is < 1 or > SandboxEndpoints.MaxPageSize)
        {
            throw ApiException.BadRequest($"query.limit: {limit} is not between 1 and {SandboxEndpoints.MaxPageSize}");
        }

        var after = pageToken is null ? null : PageToken.Decode(pageToken, SnapshotIds.IsValid);
        var (items, next) = await store.ListAsync(tenant, after, limit ?? 50, context.RequestAborted);
        return TypedResults.Ok(new SnapshotList(items.Select(SnapshotView.From).ToList(), next is null ? null : PageToken.Encode(next)));
    }

    private static async Task<IResult> GetAsync(HttpContext context, SnapshotService snapshots, string snapshotId)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        return TypedResults.Ok(SnapshotView.From(await snapshots.GetAsync(tenant, snapshotId, context.RequestAborted)));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, SnapshotService snapshots, string snapshotId)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        await snapshots.DeleteAsync(tenant, snapshotId, context.RequestAborted);
        return TypedResults.NoContent();
    }
}
