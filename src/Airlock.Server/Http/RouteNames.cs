using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Http;

public static class RouteNames
{
    /// <summary>The matched route template without the trailing '/' a group's "" route gets (<c>/v1/sandboxes/{id}</c>); null when nothing matched.</summary>
    public static string? Of(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw ? (raw.Length > 1 ? raw.TrimEnd('/') : raw) : null;
}
