using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Launcher.Namespaces;

/// <summary>What Airlock remembers about a namespace outside its config entry: the dotfiles its home was seeded from.</summary>
public sealed record NamespaceState(string? SeededSkeletonHash, DateTimeOffset? SeededAt)
{
    public static NamespaceState Load(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllText(file), NamespaceStateJson.Default.NamespaceState) ?? Empty : Empty;
        }
        catch (JsonException)
        {
            return Empty; // a damaged state file only costs the drift notice
        }
    }

    public static readonly NamespaceState Empty = new(null, null);

    public void Save(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, NamespaceStateJson.Default.NamespaceState));
        File.Move(temp, file, overwrite: true);
    }
}

[JsonSerializable(typeof(NamespaceState))]
internal sealed partial class NamespaceStateJson : JsonSerializerContext;
