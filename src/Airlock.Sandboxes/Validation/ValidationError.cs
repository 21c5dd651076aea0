namespace Airlock.Sandboxes.Validation;

/// <summary>One thing wrong with an input, located by its path (<c>namespaces.work.port-forwarding[0].hostPort</c>) and, for files, its line.</summary>
public sealed record ValidationError(string Path, string Message, int? Line = null)
{
    public override string ToString() => Line is { } line ? $"{Path} (line {line}): {Message}" : $"{Path}: {Message}";
}
