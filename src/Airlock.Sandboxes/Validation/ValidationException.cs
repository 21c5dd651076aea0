namespace Airlock.Sandboxes.Validation;

/// <summary>Every error found in one input, never just the first.</summary>
public sealed class ValidationException(string subject, IReadOnlyList<ValidationError> errors)
    : Exception($"{subject} is not valid:{System.Environment.NewLine}" + string.Join(System.Environment.NewLine, errors.Select(e => "  " + e)))
{
    public string Subject { get; } = subject;

    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}
