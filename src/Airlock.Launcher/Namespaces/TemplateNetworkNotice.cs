using Airlock.Sandboxes.Parsing;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Templates;

namespace Airlock.Launcher.Namespaces;

/// <summary>
/// What the person hears when a namespace did not get the network its git template asked for: what was asked, what the
/// namespace got instead, and the exact config lines and flags that grant it. One text for the terminal (create, a
/// launch with --create) and for --dry-run's JSON.
/// </summary>
public static class TemplateNetworkNotice
{
    /// <summary>A long list is written out in full in the config lines; the one-launch command shows this many.</summary>
    private const int FlagsShown = 4;

    /// <summary>The first line is the warning; the others say how to grant it, each meant to be indented under it.</summary>
    public static IReadOnlyList<string> Lines(string ns, WithheldNetwork withheld, string configFile)
    {
        List<string> lines =
        [
            $"a template from git cannot widen a namespace's network: namespace '{ns}' gets {NetworkModes.Allowlist} with nothing listed",
            $"its template {withheld.Template} asks for {withheld.Asked}",
            $"if you trust the template, grant it for every launch in {configFile} (airlock config opens it), replacing the network: line of namespace {ns}:",
            .. withheld.YamlLines().Select(l => "    " + l),
        ];
        if (withheld.IsOpen)
        {
            lines.Add($"or for one launch: airlock {ns} --network {NetworkModes.Open}");
            return lines;
        }

        var more = withheld.Allow.Count > FlagsShown ? " ..." : "";
        var shown = withheld.Allow.Take(FlagsShown).Select(a => ShellWords.Join([a.Trim()])).ToList();
        lines.Add($"or for one launch: airlock {ns} {string.Join(' ', shown.Select(a => "--allow " + a))}{more}");
        lines.Add($"or for a running session: airlock egress allow SESSION {string.Join(' ', shown)}{more}");
        return lines;
    }
}
