using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Observability;

/// <summary>
/// Counts every request by its route template (not its path, so ids do not explode the label set) and its method, any
/// method outside HTTP's usual ones counted as <c>OTHER</c> (a client can send any token as a method).
/// </summary>
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
            metrics.Request(KnownMethod(context.Request.Method), route, context.Response.StatusCode, time.GetElapsedTime(start));
        }
    }

    /// <summary>The method as a metric label: one of HTTP's usual methods, else <c>OTHER</c>.</summary>
    public static string KnownMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)
        || HttpMethods.IsHead(method) || HttpMethods.IsPatch(method) || HttpMethods.IsOptions(method)
            ? HttpMethods.GetCanonicalizedValue(method)
            : "OTHER";
}
