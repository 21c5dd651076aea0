using System.Globalization;
using Spectre.Console;

namespace Airlock.Cli.Doctor;

/// <summary>Shows a <see cref="DoctorReport"/> to a person: tables with ticks and colour, or plain words when output is plain.</summary>
public static class DoctorRenderer
{
    public static void Render(IAnsiConsole console, DoctorReport report)
    {
        var fancy = console.Profile.Capabilities.Unicode;
        string Ok(string text) => (fancy ? "[green]✔[/] " : "ok: ") + Markup.Escape(text);
        string Bad(string text) => (fancy ? "[red]✘[/] " : "FAIL: ") + Markup.Escape(text);
        string Skip(string text) => (fancy ? "[grey]·[/] " : "-: ") + Markup.Escape(text);

        var border = fancy ? TableBorder.Rounded : TableBorder.Ascii;
        console.MarkupLine($"[bold]airlock doctor[/] (airlock {Markup.Escape(AirlockVersion.Number)})");
        console.WriteLine();

        var summary = new Table().Border(border).AddColumn("Check").AddColumn("Result");
        if (report.Engine is { } engine)
        {
            summary.AddRow("Engine", Ok($"{engine.Kind} {engine.Version} ({(engine.Rootless ? "rootless" : "rootful")})"));
            summary.AddRow("Endpoint", Markup.Escape(engine.Endpoint));
            summary.AddRow("Found through", Markup.Escape(engine.Source));
            summary.AddRow("Engine API", Markup.Escape($"server {engine.ServerApiVersion}, using {engine.NegotiatedApiVersion}"));
            summary.AddRow("Podman service started by airlock", engine.StartedByAirlock ? "yes" : "no");
            summary.AddRow("Host", Markup.Escape($"{engine.Os}/{engine.Arch}, kernel {engine.KernelVersion}"));
        }
        else
        {
            summary.AddRow("Engine", Bad("none found"));
        }

        var image = report.BaseImage;
        var imageText = $"{image.Name} ({(image.Setting == "default" ? "default" : "from " + image.Setting)})";
        summary.AddRow("Base image", image.Present switch
        {
            true => Ok(imageText + Details(image)),
            false => Bad(imageText + ": missing"),
            null => Skip(imageText + ": not checked, no engine"),
        });
        foreach (var level in report.Isolation)
        {
            var text = $"{level.Level} ({level.Runtime}{(level.Note is { } note ? "; " + note : "")})";
            summary.AddRow("Isolation level", level.Available ? Ok(text) : Skip(text + (level.Fix is { } fix ? ". Add it: " + fix : "")));
        }

        console.Write(summary);

        if (report.Candidates.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Where Airlock looked[/]");
            var candidates = new Table().Border(border).AddColumn("Endpoint").AddColumn("Why").AddColumn("Outcome");
            foreach (var c in report.Candidates)
            {
                candidates.AddRow(
                    Markup.Escape(c.Endpoint),
                    Markup.Escape(c.Source),
                    c.Answered ? Ok(c.Outcome) : c.Tried ? Bad(c.Outcome) : Skip(c.Outcome));
            }

            console.Write(candidates);
        }

        if (report.Namespaces.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Namespaces[/]");
            var namespaces = new Table().Border(border).AddColumn("Namespace").AddColumn("Image").AddColumn("Home").AddColumn("Dotfiles");
            foreach (var n in report.Namespaces)
            {
                namespaces.AddRow(
                    Markup.Escape(n.Name),
                    n.ImagePresent ? Ok(n.Image) : Bad(n.Image + " missing"),
                    n.HomePresent ? Ok("present") : Bad("missing"),
                    n.SkeletonDrift ? Markup.Escape($"image changed them: airlock reset namespace {n.Name} to take them") : "current");
            }

            console.Write(namespaces);
        }

        console.WriteLine();
        if (report.Problems.Count == 0)
        {
            console.MarkupLine(fancy ? "[green]✔ Everything Airlock needs is in place.[/]" : "Everything Airlock needs is in place.");
            return;
        }

        console.MarkupLine(report.Problems.Count == 1 ? "[bold]1 problem[/]" : $"[bold]{report.Problems.Count} problems[/]");
        foreach (var problem in report.Problems)
        {
            console.MarkupLine(Bad(problem.Message));
            console.MarkupLine("  [yellow]fix:[/] " + Markup.Escape(problem.Fix));
        }
    }

    private static string Details(BaseImageReport image)
    {
        var parts = new List<string>();
        if (image.Id is { Length: > 0 } id)
        {
            var bare = id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id;
            parts.Add(bare[..Math.Min(12, bare.Length)]);
        }

        if (image.SizeBytes is { } size)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{size / 1_000_000.0:0} MB"));
        }

        return parts.Count == 0 ? "" : $" [{string.Join(", ", parts)}]";
    }
}
