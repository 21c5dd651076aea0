namespace Airlock.Server.Store;

/// <summary>The database cannot be reached or opened; the message says which and how to fix it.</summary>
public sealed class StoreUnavailableException(string message, string howToFix, Exception? inner = null) : Exception(message, inner)
{
    public string HowToFix { get; } = howToFix;
}
