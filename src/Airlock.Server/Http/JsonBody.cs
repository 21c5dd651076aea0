using System.Text.Json;
using Airlock.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Airlock.Server.Http;

/// <summary>Reads a request body as JSON with the API's strict options; every way it can be wrong is a 4xx naming the problem.</summary>
public static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new ApiException(415, "unsupported media type", "send the body as JSON with 'Content-Type: application/json'");
        }

        var value = await JsonSerializer.DeserializeAsync<T>(request.Body, ServerJson.Options, request.HttpContext.RequestAborted);
        return value ?? throw ApiException.BadRequest("the body is null; send a JSON object");
    }
}
