using Airlock.Launcher.Conduit;
using Spectre.Console;

namespace Airlock.Cli.Conduit;

/// <summary>
/// Chooses the model for a launch: the --model flag; else, on a terminal, an arrow-key list with the agent's last model
/// first (so Enter keeps it); else an error listing the models to pass with --model.
/// </summary>
public static class ModelPicker
{
    public static bool CanPrompt => !System.Console.IsInputRedirected && !System.Console.IsErrorRedirected;

    public static string Pick(CliContext context, string agent, IReadOnlyList<string> models, string? last)
    {
        var ordered = last is not null && models.Contains(last) ? [last, .. models.Where(m => m != last)] : models.ToList();
        if (!CanPrompt)
        {
            throw new ConduitException(
                $"no --model given and no terminal to ask on; the endpoint serves: {string.Join(", ", ordered)}",
                $"pass one: airlock conduit launch {agent} --model {ordered[0]}");
        }

        // The picker draws on stderr, so stdout stays the agent's; it stays interactive under NO_COLOR (which only means no colour).
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = string.IsNullOrEmpty(context.GetVariable("NO_COLOR")) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(System.Console.Error),
        });
        var prompt = new SelectionPrompt<string>()
            .Title($"Model for [bold]{Markup.Escape(agent)}[/] (arrows, Enter):")
            .PageSize(15)
            .MoreChoicesText("[grey](more: arrow down)[/]")
            .UseConverter(m => Markup.Escape(m) + (m == last ? " [grey](last used)[/]" : ""))
            .AddChoices(ordered);
        return console.Prompt(prompt);
    }
}
