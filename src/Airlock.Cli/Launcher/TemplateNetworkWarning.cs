using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Templates;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary>
/// Tells the person, on stderr, that a namespace did not get the network its git template asked for, and how to grant
/// it (<see cref="TemplateNetworkNotice"/>): after a create, and before anything with <c>--dry-run --create</c>.
/// </summary>
public static class TemplateNetworkWarning
{
    public static IReadOnlyList<string> Lines(LauncherServices services, string ns, WithheldNetwork withheld) =>
        TemplateNetworkNotice.Lines(ns, withheld, services.Paths.Contract(services.Paths.ConfigFile));

    public static void Write(LauncherServices services, string ns, WithheldNetwork withheld)
    {
        var lines = Lines(services, ns, withheld);
        var console = services.Context.Error;
        console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(lines[0]));
        foreach (var line in lines.Skip(1))
        {
            console.MarkupLine("  " + Markup.Escape(line));
        }
    }
}
