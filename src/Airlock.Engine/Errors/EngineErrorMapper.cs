using System.Net;
using System.Text.Json;

namespace Airlock.Engine.Errors;

/// <summary>Turns an engine's error response into a typed exception that keeps the engine's own message.</summary>
public static class EngineErrorMapper
{
    public static EngineException FromResponse(HttpStatusCode status, string body, string operation)
    {
        var engineMessage = ExtractMessage(body);
        if (IsApiTooOld(engineMessage, out var serverVersion))
        {
            return new EngineApiTooOldException(serverVersion, EngineApiVersion.Minimum.ToString());
        }

        var message = $"{operation}: {engineMessage}";
        return status switch
        {
            HttpStatusCode.NotFound => new EngineNotFoundException(message, engineMessage),
            HttpStatusCode.Conflict => new EngineConflictException(message, engineMessage),
            HttpStatusCode.InternalServerError when IsPodmanConflict(body) => new EngineConflictException(message, engineMessage),
            _ => new EngineException(message, status, engineMessage),
        };
    }

    /// <summary>
    /// podman's compat API answers some conflicts with 500 where Docker answers 409 (a name in use, removing a running
    /// container); its <c>cause</c> field says which, so callers get the same exception from both engines.
    /// </summary>
    private static bool IsPodmanConflict(string body)
    {
        string[] causes = ["that name is already in use", "container state improper"];
        return ExtractCause(body) is { } cause && causes.Contains(cause, StringComparer.Ordinal);
    }

    private static string? ExtractCause(string body)
    {
        var trimmed = body.Trim();
        if (!trimmed.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(trimmed);
            return doc.RootElement.TryGetProperty("cause", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Docker answers <c>{"message": ...}</c>; podman adds <c>cause</c> and <c>response</c>. Anything else is shown raw.</summary>
    public static string ExtractMessage(string body)
    {
        var trimmed = body.Trim();
        if (trimmed.Length == 0)
        {
            return "(the engine gave no message)";
        }

        if (trimmed[0] != '{')
        {
            return trimmed;
        }

        try
        {
            using var doc = JsonDocument.Parse(trimmed);
            if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                return m.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: the raw text is the best message there is.
        }

        return trimmed;
    }

    /// <summary>True for pull errors that mean the registry cannot be reached at all, as opposed to a missing image.</summary>
    public static bool IsRegistryUnreachable(string engineMessage)
    {
        string[] markers =
        [
            "no such host", "connection refused", "i/o timeout", "network is unreachable", "dial tcp",
            "pinging container registry", "TLS handshake timeout", "server misbehaving", "temporary failure in name resolution",
            "context deadline exceeded", "Client.Timeout exceeded",
        ];
        return markers.Any(m => engineMessage.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsApiTooOld(string engineMessage, out string serverVersion)
    {
        // Docker: "client version 1.41 is too new. Maximum supported API version is 1.40"
        const string marker = "Maximum supported API version is ";
        var at = engineMessage.IndexOf(marker, StringComparison.Ordinal);
        if (engineMessage.Contains("is too new", StringComparison.Ordinal) && at >= 0)
        {
            serverVersion = engineMessage[(at + marker.Length)..].Trim().TrimEnd('.');
            return true;
        }

        serverVersion = "";
        return false;
    }
}
