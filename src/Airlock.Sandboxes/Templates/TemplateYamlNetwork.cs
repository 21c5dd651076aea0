using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Parsing;
using YamlDotNet.RepresentationModel;

namespace Airlock.Sandboxes.Templates;

/// <summary>
/// Takes a withheld <c>defaults.network</c> out of a template copied from git into the user's own templates, which are
/// trusted: left in, forking would launder a stranger's network into a template of the user's. The file is written
/// again from its parsed form (the original's comments are not kept) under a header that says what was left out and
/// gives the lines that grant it.
/// </summary>
public static class TemplateYamlNetwork
{
    private const string FileName = "template.yaml";

    public static void Remove(string templateDir, WithheldNetwork withheld)
    {
        var dir = new ConfinedDirectory(templateDir, "the template");
        var file = Path.Combine(templateDir, FileName);
        // Withheld means the copy's template.yaml has a defaults.network; not finding it is a bug, and the copy must not stay.
        var text = dir.ReadText(FileName) ?? throw new InvalidOperationException($"{file} is gone; its defaults.network cannot be left out");
        var stream = YamlReader.Load(text, file);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("defaults"), out var node) || node is not YamlMappingNode defaults
            || !defaults.Children.Remove(new YamlScalarNode("network")))
        {
            throw new InvalidOperationException($"{file} has no defaults.network to leave out");
        }

        using var output = new StringWriter { NewLine = "\n" };
        foreach (var line in Header(withheld))
        {
            output.WriteLine("# " + line);
        }

        stream.Save(output, assignAnchors: false);
        // YamlDotNet closes the document with "...": valid, but not how anyone writes a template.yaml.
        var yaml = output.ToString();
        yaml = yaml.EndsWith("\n...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
        // The copy keeps the mode it was made with; 0644 only if it were somehow gone meanwhile.
        dir.WriteText(FileName, yaml, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static IEnumerable<string> Header(WithheldNetwork withheld) =>
    [
        $"airlock left defaults.network out of this copy of the git template {withheld.Template},",
        $"which asked for {withheld.Asked}:",
        "a template from git cannot widen a namespace's network.",
        $"If you trust it, grant it by adding these lines under defaults: (or fork again with {WithheldNetwork.TrustFlag}):",
        .. withheld.YamlLines().Select(l => "  " + l),
        "(Rewritten without the original's comments; docs/network.md.)",
    ];
}
