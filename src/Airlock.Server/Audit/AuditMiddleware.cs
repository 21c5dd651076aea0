using Airlock.Server.Auth;
using Airlock.Server.Observability;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Audit;

/// <summary>
/// Appends an audit entry for every state-changing call (any method but GET/HEAD under /v1), whatever its outcome,
/// as the answer starts: who (key id, or "anonymous"), which tenant, what (method and route), the target (route
/// values such as the sandbox id), when, and the status. Runs outside the error handler, so failures are recorded too.
/// Refusals of calls without a valid credential, and rate-limit refusals, are sampled (<see cref="AuditSampler"/>):
/// otherwise anyone who can reach the port grows the log as fast as it can send.
/// </summary>
public sealed partial class AuditMiddleware(
    RequestDelegate next, AuditStore audit, AuditSampler sampler, ServerMetrics metrics, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        // Appended as the answer starts, so a caller who got its answer finds the entry already in the log.
        var appended = 0;
        context.Response.OnStarting(() => Interlocked.Exchange(ref appended, 1) == 0 ? AppendAsync(context) : Task.CompletedTask);
        try
        {
            await next(context);
        }
        finally
        {
            if (Interlocked.Exchange(ref appended, 1) == 0)
            {
                await AppendAsync(context);
            }
        }
    }

    private async Task AppendAsync(HttpContext context)
    {
        var caller = context.Items[typeof(Caller)] as Caller;
        // The path and its route values are the caller's: each is kept short, so an entry stays small.
        var route = Http.RouteNames.Of(context) ?? Sandboxes.Names.Shorten(context.Request.Path.Value ?? "");
        var values = context.GetRouteData().Values;
        var target = string.Join(",", values.Where(v => v.Key is not ("action" or "controller")).Select(v => $"{v.Key}={Sandboxes.Names.Shorten(v.Value?.ToString() ?? "")}"));
        if (AuditTarget.Of(context) is { } added)
        {
            target = AuditTarget.Cap(target.Length == 0 ? added : target + "," + added);
        }

        var tenant = caller?.TenantId ?? (values.TryGetValue("tenant", out var t) && t is not null ? Sandboxes.Names.Shorten(t.ToString() ?? "") : null);
        var status = context.Response.StatusCode;
        if ((caller is null || status == StatusCodes.Status429TooManyRequests)
            && !sampler.ShouldRecord(caller is null ? "address " + Http.HttpContextExtensions.ClientAddress(context) : "key " + caller.KeyId))
        {
            metrics.AuditSampledOut();
            return;
        }

        var record = new AuditRecord(
            time.GetUtcNow(),
            caller?.KeyId ?? "anonymous",
            tenant,
            $"{Observability.RequestMetricsMiddleware.KnownMethod(context.Request.Method)} {route}",
            target.Length == 0 ? null : target,
            status < 400 ? "ok" : "refused",
            status);
        try
        {
            await audit.AppendAsync(record, CancellationToken.None);
            metrics.AuditAppended();
        }
        catch (Exception ex)
        {
            // The answer is already on its way; a lost entry is logged loudly rather than turned into a failed call.
            LogAuditFailed(logger, record.Action, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "could not append the audit entry for {Action}")]
    private static partial void LogAuditFailed(ILogger logger, string action, Exception ex);
}
