using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Airlock.Server.Http;

public static class HttpContextExtensions
{
    /// <summary>The authenticated caller (every /v1 route requires one).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new ApiException(401, "unauthenticated", "this needs an API key or token: send 'Authorization: Bearer <key>'");

    /// <summary>The client's address as the server sees it (a proxy's, behind one): what requests without a credential are counted by.</summary>
    public static string ClientAddress(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
