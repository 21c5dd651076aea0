using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using YamlDotNet.RepresentationModel;

namespace Airlock.Sandboxes.Parsing;

/// <summary>
/// Reads <c>network: MODE</c> or <c>network: { mode: MODE, allow: [DEST, ...] }</c>, the one shape a namespace's config and
/// a template's <c>defaults.network</c> share; every bad part is reported with its path and line.
/// </summary>
public static class NetworkYaml
{
    public static NetworkSetting Read(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is YamlScalarNode)
        {
            return new NetworkSetting(Mode(node, path, errors), []);
        }

        if (node is not YamlMappingNode map)
        {
            errors.Add(path, $"must be a mode ({NetworkModes.Names}) or a mapping with mode: and allow:", YamlReader.Line(node));
            return NetworkSetting.Unset;
        }

        string? mode = null;
        var allow = new List<string>();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlReader.Key(keyNode);
            switch (key)
            {
                case "mode":
                    mode = Mode(value, $"{path}.mode", errors);
                    break;
                case "allow" when value is YamlSequenceNode list:
                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        if (Destination(list.Children[i], $"{path}.allow[{i}]", errors) is { } destination)
                        {
                            allow.Add(destination);
                        }
                    }

                    break;
                case "allow" when value is YamlScalarNode { Value: null or "" or "~" or "null" }:
                    break;
                case "allow":
                    errors.Add($"{path}.allow", "must be a list of destinations (host, *.suffix, host:port, CIDR)", YamlReader.Line(value));
                    break;
                default:
                    errors.Add($"{path}.{key}", "is not a network setting (known: mode, allow)", YamlReader.Line(keyNode));
                    break;
            }
        }

        if (allow.Count > 0 && mode is not null && NetworkModes.ToSpec(mode) != NetworkPolicy.Allowlist && !errors.All.Any(e => e.Path == $"{path}.mode"))
        {
            errors.Add($"{path}.allow", $"lists destinations, but mode is {mode}: only mode: {NetworkModes.Allowlist} uses them; set mode: {NetworkModes.Allowlist} or remove allow", YamlReader.Line(node));
        }

        return new NetworkSetting(mode ?? (allow.Count > 0 ? NetworkModes.Allowlist : null), allow);
    }

    private static string? Mode(YamlNode node, string path, ValidationErrors errors)
    {
        var mode = YamlReader.Scalar(node, path, errors);
        if (mode is not null && !NetworkModes.IsKnown(mode))
        {
            errors.Add(path, $"'{mode}' is not a network mode ({NetworkModes.Names})", YamlReader.Line(node));
            return null;
        }

        return mode;
    }

    private static string? Destination(YamlNode node, string path, ValidationErrors errors)
    {
        var text = YamlReader.Scalar(node, path, errors);
        if (text is not null && !EgressRule.TryParse(text, out _, out var problem))
        {
            errors.Add(path, $"'{text}': {problem}", YamlReader.Line(node));
            return null;
        }

        return text;
    }
}
