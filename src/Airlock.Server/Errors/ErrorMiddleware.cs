using System.Text.Json;
using Airlock.Engine.Errors;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Errors;

/// <summary>
/// The one place an exception becomes an answer. The caller's mistakes are 4xx naming the fix; an unreachable engine or
/// database is 503; only a bug is 500, and its message never leaks internals.
/// </summary>
public sealed partial class ErrorMiddleware(RequestDelegate next, IHostApplicationLifetime lifetime, ILogger<ErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await ProblemWriter.WriteAsync(context, new ApiException(503, "stopping", "the server is stopping; retry against another server or once it is back") { RetryAfterSeconds = 5 });
        }
        catch (Exception ex)
        {
            var problem = Map(ex);
            if (problem.Status >= 500)
            {
                LogFailure(logger, context.Request.Method, context.Request.Path, ex);
            }

            await ProblemWriter.WriteAsync(context, problem);
        }
    }

    public static ApiException Map(Exception ex) => ex switch
    {
        ApiException api => api,
        BadHttpRequestException { StatusCode: 413 } => new ApiException(413, "request too large", "the request body is larger than the server accepts (--max-body-size); send less"),
        BadHttpRequestException bad => new ApiException(bad.StatusCode, "bad request", bad.Message),
        JsonException json => ApiException.BadRequest(
            $"the body is not valid JSON for this request{(json.Path is { Length: > 0 } p ? $" at {p}" : "")}{(json.LineNumber is { } l ? $" (line {l + 1})" : "")}: {FirstSentence(json.Message)}"),
        ValidationException invalid => ApiException.Invalid(invalid.Subject, invalid.Errors),
        QuotaExceededException quota => new ApiException(409, "quota exceeded", quota.Message),
        NameTakenException taken => ApiException.Conflict(taken.Message + "; pick another name or delete that sandbox"),
        EngineUnreachableException unreachable => new ApiException(503, "engine unreachable", $"the container engine cannot be reached: {unreachable.Message}") { RetryAfterSeconds = 5 },
        // The operator's key does not fit what the database holds: nothing the caller can fix, and no bug either.
        Secrets.SecretsKeyException key => new ApiException(503, "secrets unavailable", $"{key.Message}; the server's operator must fix this: {key.HowToFix}") { RetryAfterSeconds = 60 },
        StoreUnavailableException store => new ApiException(503, "database unavailable", store.Message) { RetryAfterSeconds = 5 },
        EngineNotFoundException notFound => ApiException.BadRequest($"the engine does not have it: {notFound.Message}"),
        EngineConflictException conflict => ApiException.Conflict($"the engine refused: {conflict.Message}"),

        // The engine called the request it was sent invalid: what the server sends is made from the caller's input.
        EngineException { StatusCode: System.Net.HttpStatusCode.BadRequest } refused => ApiException.BadRequest($"the engine refused: {refused.EngineMessage ?? refused.Message}"),
        _ => new ApiException(500, "internal error", "the server hit an unexpected error; it is logged, and the request may be retried"),
    };

    /// <summary>System.Text.Json appends its own path/line sentence; ours says them already.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception ex);
}
