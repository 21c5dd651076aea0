using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Reads <see cref="SandboxNetworkRequest"/> from a string or an object, refusing what the rest of the body refuses
/// (an unknown field, a wrong type); the values themselves are checked by <see cref="SandboxNetworkRules"/>, which
/// reports each with its path. Writes the object form.
/// </summary>
public sealed class SandboxNetworkJsonConverter : JsonConverter<SandboxNetworkRequest>
{
    /// <summary>More rules than this are refused while reading, before they take memory.</summary>
    public const int MaxRules = ServerLimits.MaxEgressRules;

    public override SandboxNetworkRequest? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new SandboxNetworkRequest(reader.GetString(), null) { WasString = true };
            case JsonTokenType.StartObject:
                break;
            default:
                throw new JsonException("network is a string (\"none\", \"bridge\") or an object {\"mode\": \"allowlist\", \"allow\": [\"github.com\"]}");
        }

        string? mode = null;
        List<string>? allow = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var field = reader.GetString() ?? "";
            reader.Read();
            if (field.Equals("mode", StringComparison.OrdinalIgnoreCase))
            {
                mode = reader.TokenType == JsonTokenType.String
                    ? reader.GetString()
                    : throw new JsonException("network.mode is a string: none, allowlist or open");
            }
            else if (field.Equals("allow", StringComparison.OrdinalIgnoreCase))
            {
                allow = ReadRules(ref reader);
            }
            else
            {
                throw new JsonException($"network has no field '{Names.Shorten(field)}'; it takes mode and allow");
            }
        }

        return new SandboxNetworkRequest(mode, allow);
    }

    private static List<string>? ReadRules(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("network.allow is a list of strings, e.g. [\"github.com\", \"*.npmjs.org\", \"10.1.0.0/16:5432\"]");
        }

        var rules = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"network.allow[{rules.Count}] is not a string; write each destination as text, e.g. \"github.com:443\"");
            }

            if (rules.Count == MaxRules)
            {
                throw new JsonException($"network.allow has more than {MaxRules} destinations; allow a suffix (*.example.com) or a range instead of many hosts");
            }

            rules.Add(reader.GetString()!);
        }

        return rules;
    }

    public override void Write(Utf8JsonWriter writer, SandboxNetworkRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("mode", value.Mode);
        writer.WriteStartArray("allow");
        foreach (var rule in value.Allow ?? [])
        {
            writer.WriteStringValue(rule);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
