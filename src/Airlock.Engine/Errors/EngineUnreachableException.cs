namespace Airlock.Engine.Errors;

/// <summary>No engine answered. <see cref="HowToFix"/> tells the user how to start one.</summary>
public sealed class EngineUnreachableException(string message, string howToFix, Exception? inner = null)
    : EngineException(message, null, null, inner)
{
    public string HowToFix { get; } = howToFix;
}
