namespace Airlock.Sandboxes.Validation;

/// <summary>Collects errors while walking an input, then throws them all at once.</summary>
public sealed class ValidationErrors
{
    private readonly List<ValidationError> _errors = [];

    public IReadOnlyList<ValidationError> All => _errors;

    public bool Any => _errors.Count > 0;

    public void Add(string path, string message, int? line = null) => _errors.Add(new ValidationError(path, message, line));

    public void ThrowIfAny(string subject)
    {
        if (_errors.Count > 0)
        {
            throw new ValidationException(subject, _errors.ToList());
        }
    }
}
