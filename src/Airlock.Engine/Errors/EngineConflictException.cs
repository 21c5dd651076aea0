using System.Net;

namespace Airlock.Engine.Errors;

/// <summary>The request clashes with the object's state: a name in use, a running container removed without force, ...</summary>
public sealed class EngineConflictException(string message, string? engineMessage)
    : EngineException(message, HttpStatusCode.Conflict, engineMessage);
