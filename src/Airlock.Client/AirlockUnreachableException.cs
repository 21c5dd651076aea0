namespace Airlock.Client;

/// <summary>No answer from the server at all: nothing listens there, the name does not resolve, or it timed out.</summary>
public sealed class AirlockUnreachableException(Uri server, string reason, Exception? inner = null)
    : Exception($"cannot reach the Airlock server at {server}: {reason}", inner)
{
    /// <summary>The server's base URL.</summary>
    public Uri Server { get; } = server;

    /// <summary>Why, in a few words (connection refused, name does not resolve, timed out).</summary>
    public string Reason { get; } = reason;
}
