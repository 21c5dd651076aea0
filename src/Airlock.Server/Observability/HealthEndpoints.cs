using Airlock.Server.Http;
using Airlock.Server.Nodes;
using Airlock.Server.Reconciliation;
using Airlock.Server.Store;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Observability;

/// <summary>/healthz (the process answers), /readyz (database and engines answer, and the reconciler has been through every node), /metrics (Prometheus text, system admin).</summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous().WithTags("health");
        app.MapGet("/readyz", ReadyAsync).AllowAnonymous().WithTags("health");
        app.MapGet("/metrics", MetricsAsync).WithTags("health").Produces<string>(200, "text/plain");
    }

    /// <summary><see cref="Reconciled"/>: a reconciler pass has reached every node since the server started.</summary>
    public sealed record ReadyView(string Status, string Database, string Engine, string? DatabaseError, string? EngineError, bool Reconciled);

    private static async Task<IResult> ReadyAsync(HttpContext context, Database database, IEngineNodes nodes, Reconciler reconciler)
    {
        var (dbOk, dbError) = await CheckDatabaseAsync(database, context.RequestAborted);
        var (engineOk, engineError) = await CheckEngineAsync(nodes, context.RequestAborted);
        var ready = dbOk && engineOk && reconciler.HasCompletedPass;
        var view = new ReadyView(ready ? "ready" : "not ready", dbOk ? "ok" : "down", engineOk ? "ok" : "down", dbError, engineError, reconciler.HasCompletedPass);
        return TypedResults.Json(view, statusCode: ready ? 200 : 503);
    }

    private static async Task<IResult> MetricsAsync(HttpContext context, ServerMetrics metrics, SandboxStore sandboxes, Database database, IEngineNodes nodes)
    {
        context.Caller().RequireSystemAdmin();
        var (dbOk, _) = await CheckDatabaseAsync(database, context.RequestAborted);
        var counts = dbOk ? await sandboxes.CountByStateAsync(context.RequestAborted) : new Dictionary<string, long>();
        var (engineOk, _) = await CheckEngineAsync(nodes, context.RequestAborted);
        return TypedResults.Text(metrics.Render(counts, dbOk, engineOk), "text/plain; version=0.0.4; charset=utf-8");
    }

    private static async Task<(bool Ok, string? Error)> CheckDatabaseAsync(Database database, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteScalarAsync<long>("SELECT 1");
            return (true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (false, ex.Message);
        }
    }

    private static async Task<(bool Ok, string? Error)> CheckEngineAsync(IEngineNodes nodes, CancellationToken ct)
    {
        try
        {
            foreach (var node in nodes.Names)
            {
                var engine = await nodes.GetAsync(node, ct);
                _ = await engine.Containers.ListAsync(["io.airlock.readyz-probe"], all: false, ct);
            }

            return (true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (false, ex.Message);
        }
    }
}
