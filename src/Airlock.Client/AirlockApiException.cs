namespace Airlock.Client;

/// <summary>
/// The server answered with an error: its problem details (RFC 9457), the request it answered, and how long to wait
/// when it asked for that. A 4xx is the caller's input; a 5xx the server's.
/// </summary>
public sealed class AirlockApiException : Exception
{
    public AirlockApiException(string method, string path, int status, Problem? problem, string? rawBody, TimeSpan? retryAfter)
        : base($"the server refused {method} /{path} ({status}): {Describe(problem, rawBody)}")
    {
        Method = method;
        Path = path;
        Status = status;
        Problem = problem;
        RetryAfter = retryAfter;
    }

    /// <summary>The request's method.</summary>
    public string Method { get; }

    /// <summary>The request's path, relative to the server's base URL.</summary>
    public string Path { get; }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The server's problem details, when it sent them.</summary>
    public Problem? Problem { get; }

    /// <summary>Every bad field the server named (its path, such as <c>sandbox.limits.cpus</c>, and what is wrong).</summary>
    public IReadOnlyList<ProblemField> Fields => Problem?.Errors ?? [];

    /// <summary>How long the server asked the caller to wait (429, 503).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>What the server said, once: with a field list, its title (the list says the rest); else the detail.</summary>
    public string Detail => Describe(Problem, null);

    /// <summary>True when the server has no such route at all (it is older than this client).</summary>
    public bool IsUnknownRoute => Status == 404 && Detail.StartsWith($"there is no {Method} ", StringComparison.Ordinal);

    private static string Describe(Problem? problem, string? rawBody) =>
        problem is { Errors.Count: > 0, Title: { } title } ? title
        : problem?.Detail ?? problem?.Title ?? (rawBody is { Length: > 0 } ? rawBody.Trim() : "no details");
}
