namespace Airlock.Sandboxes.Files;

/// <summary>
/// A path in a directory a sandbox can write was a symbolic link, went through one, or was not the kind of file expected,
/// so Airlock left it alone. The message names the path and why; <see cref="HowToFix"/> says what to do.
/// </summary>
public sealed class UnsafePathException(string message, string howToFix) : IOException(message)
{
    public string HowToFix { get; } = howToFix;
}
