using System.Net;

namespace Airlock.Engine.Errors;

/// <summary>An error the engine reported, carrying its own message and the HTTP status it answered with.</summary>
public class EngineException : Exception
{
    public EngineException(string message, HttpStatusCode? statusCode = null, string? engineMessage = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>The engine's own words, verbatim, when it gave any.</summary>
    public string? EngineMessage { get; }
}
