using Airlock.Sandboxes.Validation;

namespace Airlock.Server.Errors;

/// <summary>An answer other than success, written as RFC 7807 problem details: the status, a short title and what to do.</summary>
public sealed class ApiException(int status, string title, string detail, IReadOnlyList<ValidationError>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public IReadOnlyList<ValidationError> Errors { get; } = errors ?? [];

    /// <summary>Seconds for a Retry-After header (429, 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException BadRequest(string detail) => new(400, "bad request", detail);

    public static ApiException Invalid(string subject, IReadOnlyList<ValidationError> errors) =>
        new(400, "invalid request", $"{subject} is not valid: " + string.Join("; ", errors.Select(e => e.ToString())), errors);

    public static ApiException NotFound(string detail) => new(404, "not found", detail);

    public static ApiException Forbidden(string detail) => new(403, "forbidden", detail);

    public static ApiException Conflict(string detail) => new(409, "conflict", detail);
}
