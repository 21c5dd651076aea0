using Spectre.Console;

namespace Airlock.Cli.Console;

/// <summary>
/// Makes the Spectre consoles Airlock writes through. Output is plain (no colour, no escape codes, ASCII borders) when it
/// does not go to a terminal, when <c>NO_COLOR</c> is set (https://no-color.org) or when <c>TERM=dumb</c>.
/// </summary>
public static class ConsoleFactory
{
    /// <summary>Width used when output is redirected, so tables and messages are not wrapped at Spectre's default of 80.</summary>
    public const int RedirectedWidth = 200;

    public static bool IsPlain(bool redirected, Func<string, string?> getVariable) =>
        redirected
        || !string.IsNullOrEmpty(getVariable("NO_COLOR"))
        || string.Equals(getVariable("TERM"), "dumb", StringComparison.Ordinal);

    public static IAnsiConsole Create(TextWriter writer, bool redirected, Func<string, string?> getVariable)
    {
        var plain = IsPlain(redirected, getVariable);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(writer),
        });
        if (plain)
        {
            console.Profile.Capabilities.Unicode = false;
            console.Profile.Capabilities.Links = false;
        }

        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
