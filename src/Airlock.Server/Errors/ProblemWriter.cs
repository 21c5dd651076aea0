using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Airlock.Server.Errors;

/// <summary>Writes <c>application/problem+json</c> (RFC 7807) with Airlock's fields: <c>errors</c> lists every bad field with its path.</summary>
public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, ApiException problem)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = problem.Status;
        context.Response.ContentType = "application/problem+json";
        if (problem.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "about:blank");
            json.WriteString("title", problem.Title);
            json.WriteNumber("status", problem.Status);
            json.WriteString("detail", problem.Message);
            json.WriteString("instance", context.Request.Path.Value);
            if (problem.Errors.Count > 0)
            {
                json.WriteStartArray("errors");
                foreach (var error in problem.Errors)
                {
                    json.WriteStartObject();
                    json.WriteString("path", error.Path);
                    json.WriteString("message", error.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}
