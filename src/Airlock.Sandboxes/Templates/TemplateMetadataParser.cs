using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Parsing;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using YamlDotNet.RepresentationModel;

namespace Airlock.Sandboxes.Templates;

/// <summary>Reads template.yaml, reporting every problem with its field and line.</summary>
public static class TemplateMetadataParser
{
    public static TemplateMetadata Load(string templateDir)
    {
        // A template (a git one, above all) is not trusted: its template.yaml is read only as a plain file inside it.
        var file = Path.Combine(templateDir, "template.yaml");
        string? text;
        try
        {
            text = new ConfinedDirectory(templateDir, "the template").ReadText("template.yaml");
        }
        catch (UnsafePathException ex)
        {
            throw new TemplateRefusedException($"{ex.Message}. {ex.HowToFix}");
        }

        return text is null ? TemplateMetadata.Empty : Parse(text, file);
    }

    public static TemplateMetadata Parse(string yaml, string file)
    {
        var stream = YamlReader.Load(yaml, file);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return TemplateMetadata.Empty;
        }

        var errors = new ValidationErrors();
        string? description = null, display = null;
        IReadOnlyList<string>? command = null;
        IsolationLevel? isolation = null;
        NetworkSetting? network = null;
        var platforms = new List<TemplatePlatform>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = YamlReader.Key(keyNode);
            switch (key)
            {
                case "description":
                    description = (value as YamlScalarNode)?.Value;
                    break;
                case "platforms" when value is YamlSequenceNode seq:
                    for (var i = 0; i < seq.Children.Count; i++)
                    {
                        if (seq.Children[i] is YamlMappingNode p
                            && Get(p, "os") is { } os && Get(p, "arch") is { } arch)
                        {
                            platforms.Add(new TemplatePlatform(os, arch, Get(p, "runtime") ?? "*"));
                        }
                        else
                        {
                            errors.Add($"platforms[{i}]", "must be a mapping with os:, arch: and optionally runtime:", (int)seq.Children[i].Start.Line);
                        }
                    }

                    break;

                // Without these two, a platforms: or defaults: of the wrong shape fell through to "is not a known setting".
                case "platforms":
                    errors.Add("platforms", "must be a list of mappings with os:, arch: and optionally runtime:", (int)value.Start.Line);
                    break;
                case "defaults" when value is YamlMappingNode defaults:
                    display = Get(defaults, "display");
                    if (display is not null and not ("x11" or "wayland" or "auto" or "none"))
                    {
                        // The line of the value itself: the mapping's start is the line of whichever key comes first.
                        var displayNode = defaults.Children[new YamlScalarNode("display")];
                        errors.Add("defaults.display", $"'{display}' is not one of x11, wayland, auto, none", (int)displayNode.Start.Line);
                    }

                    if (defaults.Children.TryGetValue(new YamlScalarNode("isolation"), out var levelNode))
                    {
                        var level = (levelNode as YamlScalarNode)?.Value;
                        isolation = IsolationLevels.TryParse(level);
                        if (isolation is null)
                        {
                            errors.Add("defaults.isolation", IsolationLevels.ErrorFor(level), (int)levelNode.Start.Line);
                        }
                    }

                    if (defaults.Children.TryGetValue(new YamlScalarNode("network"), out var networkNode))
                    {
                        network = NetworkYaml.Read(networkNode, "defaults.network", errors);
                    }

                    foreach (var (defaultKey, _) in defaults.Children)
                    {
                        if (YamlReader.Key(defaultKey) is not ("display" or "isolation" or "command" or "network") and var unknown)
                        {
                            errors.Add($"defaults.{unknown}", "is not a template default (known: display, command, isolation, network)", (int)defaultKey.Start.Line);
                        }
                    }

                    if (defaults.Children.TryGetValue(new YamlScalarNode("command"), out var cmd))
                    {
                        command = cmd switch
                        {
                            YamlSequenceNode list => Words(list, errors),
                            YamlScalarNode { Value: { } text } => SplitOrReport(text, errors, (int)cmd.Start.Line),
                            _ => null,
                        };
                    }

                    break;
                case "defaults":
                    errors.Add("defaults", "must be a mapping with display:, command:, isolation: and network:", (int)value.Start.Line);
                    break;
                default:
                    errors.Add(key ?? "?", "is not a known template setting (known: description, platforms, defaults)", (int)keyNode.Start.Line);
                    break;
            }
        }

        errors.ThrowIfAny(file);
        return new TemplateMetadata(description, platforms, display, command) { DefaultIsolation = isolation, DefaultNetwork = network };
    }

    /// <summary>A command written as a list; a nested list or mapping is reported rather than failing the cast.</summary>
    private static IReadOnlyList<string>? Words(YamlSequenceNode list, ValidationErrors errors)
    {
        var words = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlScalarNode word)
            {
                words.Add(word.Value ?? "");
            }
            else
            {
                errors.Add($"defaults.command[{i}]", "must be a single word, not a list or mapping", (int)list.Children[i].Start.Line);
            }
        }

        return words;
    }

    private static IReadOnlyList<string>? SplitOrReport(string text, ValidationErrors errors, int line)
    {
        try
        {
            return ShellWords.Split(text);
        }
        catch (FormatException ex)
        {
            errors.Add("defaults.command", ex.Message, line);
            return null;
        }
    }

    private static string? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;
}
