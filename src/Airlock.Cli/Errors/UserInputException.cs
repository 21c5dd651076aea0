namespace Airlock.Cli.Errors;

/// <summary>The user asked for something that cannot work as given: exit 2, with what is wrong and how to fix it.</summary>
public sealed class UserInputException(string message, string howToFix) : Exception(message)
{
    public string HowToFix { get; } = howToFix;
}
