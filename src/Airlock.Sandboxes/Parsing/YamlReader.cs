using Airlock.Sandboxes.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Airlock.Sandboxes.Parsing;

/// <summary>Loads a YAML file for the config and template.yaml parsers; every syntax error becomes a line-numbered validation error.</summary>
public static class YamlReader
{
    public static YamlStream Load(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ValidationException(file, [new ValidationError("(syntax)", ex.InnerException?.Message ?? ex.Message, (int)ex.Start.Line)]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) when the text ends inside a flow collection: `image: [x`.
            var lastLine = yaml.TrimEnd('\r', '\n').Split('\n').Length;
            throw new ValidationException(file, [new ValidationError("(syntax)", "the file ends inside a [...] or {...}: close the bracket", lastLine)]);
        }

        return stream;
    }

    /// <summary>A mapping key as text; a key that is itself a list or mapping (<c>[a]: b</c>) is shown as written, to be reported as unknown.</summary>
    public static string Key(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : node.ToString();

    /// <summary>A single value's text; a list or mapping where one value belongs is reported at <paramref name="path"/> and gives null.</summary>
    public static string? Scalar(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        errors.Add(path, "must be a single value, not a list or mapping", Line(node));
        return null;
    }

    /// <summary>The 1-based line a node starts on, as errors name it.</summary>
    public static int Line(YamlNode node) => (int)node.Start.Line;
}
