using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary>The server answered with an error (its problem details); 4xx is the caller's input, 5xx the server's.</summary>
public sealed class RemoteApiException(int status, string message, IReadOnlyList<ProblemField> fields, string? howToFix, int? retryAfterSeconds)
    : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>Every bad field the server named (path and message).</summary>
    public IReadOnlyList<ProblemField> Fields { get; } = fields;

    public string? HowToFix { get; } = howToFix;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>No answer from the server at all: nothing listens there, the name does not resolve, or it timed out.</summary>
public sealed class ServerUnreachableException(string message, string howToFix, Exception? inner = null) : Exception(message, inner)
{
    public string HowToFix { get; } = howToFix;
}
