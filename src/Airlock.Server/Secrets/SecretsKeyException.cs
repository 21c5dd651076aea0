namespace Airlock.Server.Secrets;

/// <summary>The secrets key cannot be used: the message names where it came from and what is wrong, <see cref="HowToFix"/> what to do.</summary>
public sealed class SecretsKeyException(string message, string howToFix) : Exception(message)
{
    public string HowToFix { get; } = howToFix;
}
