using System.Net;

namespace Airlock.Engine.Errors;

/// <summary>The container, image or exec instance named in the request does not exist.</summary>
public sealed class EngineNotFoundException(string message, string? engineMessage)
    : EngineException(message, HttpStatusCode.NotFound, engineMessage);
