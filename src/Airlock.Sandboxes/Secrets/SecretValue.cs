namespace Airlock.Sandboxes.Secrets;

/// <summary>
/// A secret's real value. It prints as a mask, so no log line, exception message, record or <c>--dry-run</c> that
/// formats a binding can carry it by accident; only <see cref="Reveal"/> gives it, at the one place it is sent.
/// </summary>
public sealed class SecretValue(string value)
{
    public string Reveal() => value;

    public override string ToString() => "[secret]";
}
