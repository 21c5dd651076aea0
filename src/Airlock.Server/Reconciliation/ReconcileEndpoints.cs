using Airlock.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Reconciliation;

/// <summary><c>POST /v1/system/reconcile</c>: a reconciler pass now (system admin), answering what it changed.</summary>
public static class ReconcileEndpoints
{
    public static void Map(RouteGroupBuilder v1) =>
        v1.MapPost("/system/reconcile", RunAsync).WithName("RunReconcilePass").WithTags("system").Produces<ReconcileReport>()
            .WithSummary("Reconcile the store with the engines now (every create this server is not working on counts as interrupted)");

    private static async Task<IResult> RunAsync(HttpContext context, Reconciler reconciler)
    {
        context.Caller().RequireSystemAdmin();
        return TypedResults.Ok(await reconciler.RunAsync(allCreatesInterrupted: true, context.RequestAborted));
    }
}
