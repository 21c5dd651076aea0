using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Observability;

/// <summary>Counts every request by its route template (not its path, so ids do not explode the label set).</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, ServerMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = Http.RouteNames.Of(context) ?? "unmatched";
            metrics.Request(context.Request.Method, route, context.Response.StatusCode, time.GetElapsedTime(start));
        }
    }
}
