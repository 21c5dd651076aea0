using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Launcher.Conduit;

/// <summary>
/// Reads and writes <c>.config/airlock/conduit.json</c> in a namespace's home. The same file is <c>~/.config/airlock/conduit.json</c>
/// inside the sandbox, so conduit on the host and conduit in the sandbox share one state. Owner-only: it may hold a key.
/// </summary>
public sealed class ConduitStore(string home)
{
    public const string RelativePath = ".config/airlock/conduit.json";

    public string File => Path.Combine(home, RelativePath);

    public ConduitSettings Load()
    {
        if (HomeFiles.ReadText(home, RelativePath) is not { } text)
        {
            return ConduitSettings.Empty;
        }

        try
        {
            var settings = JsonSerializer.Deserialize(text, ConduitJson.Default.ConduitSettings) ?? ConduitSettings.Empty;
            if (settings.Endpoint is { Length: > 0 } url)
            {
                // A hand-edited endpoint gets the same checks as `conduit set endpoint`.
                ConduitEndpoint.Parse(url);
            }

            return settings;
        }
        catch (JsonException ex)
        {
            throw new ConduitException($"{File}: not valid conduit settings ({ex.Message})",
                $"fix the file, or delete it and run: airlock conduit set endpoint ENDPOINT");
        }
        catch (ConduitException ex)
        {
            throw new ConduitException($"{File}: {ex.Message}", ex.HowToFix);
        }
    }

    public void Save(ConduitSettings settings) =>
        HomeFiles.WriteText(home, RelativePath, JsonSerializer.Serialize(settings, ConduitJson.Default.ConduitSettings) + "\n");
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConduitSettings))]
internal sealed partial class ConduitJson : JsonSerializerContext;
