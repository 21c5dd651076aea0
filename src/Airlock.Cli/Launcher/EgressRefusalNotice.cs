using Airlock.Sandboxes.Egress;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary>
/// After an <c>allowlist</c> session: what it was refused and how to allow it. Tools inside often hide the proxy's 403
/// and its hint, so the person who started the session hears it from airlock itself, once, when the session is over.
/// </summary>
public static class EgressRefusalNotice
{
    private const int MaxShown = 8;

    public static void Write(IAnsiConsole console, string ns, string configFile, IReadOnlyList<EgressRefusal> refused)
    {
        var count = refused.Count == 1 ? "1 destination" : $"{refused.Count} destinations";
        console.MarkupLine($"[yellow]notice:[/] the sandbox was refused {count} not on the allowlist of namespace {Markup.Escape(ns)}:");
        foreach (var r in refused.Take(MaxShown))
        {
            var times = r.Count > 1 ? $" ({r.Count} times)" : "";
            console.MarkupLine($"  [red]{Markup.Escape(Authority(r))}[/] {Markup.Escape(r.Reason)}{times}");
        }

        if (refused.Count > MaxShown)
        {
            console.MarkupLine($"  and {refused.Count - MaxShown} more");
        }

        var example = refused[0].Host;
        console.MarkupLine(Markup.Escape(
            $"  to allow one: airlock {ns} --allow {example} ... (one launch), or add it to network.allow of namespace {ns} in {configFile}; " +
            $"the record: airlock egress log {ns}"));
    }

    private static string Authority(EgressRefusal r) => r.Host.Contains(':', StringComparison.Ordinal) ? $"[{r.Host}]:{r.Port}" : $"{r.Host}:{r.Port}";
}
