using Airlock.Server.Http;
using Airlock.Server.Nodes;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Observability;

/// <summary>
/// /healthz (the process answers), /readyz (database and engines answer, and the reconciler has been through every
/// node; checked at most once a second, see <see cref="Readiness"/>), /metrics (Prometheus text, system admin).
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithName("GetHealth").WithSummary("Liveness: 200 while the process serves").AllowAnonymous().WithTags("health");
        app.MapGet("/readyz", ReadyAsync).WithName("GetReadiness").WithSummary("Readiness: the database and every engine answer, and a reconciler pass has completed").AllowAnonymous().WithTags("health");
        app.MapGet("/metrics", MetricsAsync).WithName("GetMetrics").WithSummary("Prometheus metrics (system admin)").WithTags("health").Produces<string>(200, "text/plain");
    }

    /// <summary><see cref="Reconciled"/>: a reconciler pass has reached every node since the server started.</summary>
    public sealed record ReadyView(string Status, string Database, string Engine, string? DatabaseError, string? EngineError, bool Reconciled);

    private static async Task<IResult> ReadyAsync(HttpContext context, Readiness readiness)
    {
        var view = await readiness.GetAsync(context.RequestAborted);
        return TypedResults.Json(view, statusCode: view.Status == "ready" ? 200 : 503);
    }

    private static async Task<IResult> MetricsAsync(HttpContext context, ServerMetrics metrics, SandboxStore sandboxes, Database database, IEngineNodes nodes)
    {
        context.Caller().RequireSystemAdmin();
        var (dbOk, _) = await Readiness.CheckDatabaseAsync(database, context.RequestAborted);
        var counts = dbOk ? await sandboxes.CountByStateAsync(context.RequestAborted) : new Dictionary<string, long>();
        var (engineOk, _) = await Readiness.CheckEngineAsync(nodes, context.RequestAborted);
        return TypedResults.Text(metrics.Render(counts, dbOk, engineOk), "text/plain; version=0.0.4; charset=utf-8");
    }
}
