using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// An agent's JSON config file, edited in place: everything but the entries Airlock owns is written back as it was read.
/// A file that is not a plain JSON object is refused (and left as it is), with the file named.
/// </summary>
public static class JsonConfigFile
{
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file <paramref name="relative"/> below <paramref name="home"/>; an empty object when it does not exist.</summary>
    public static JsonObject Load(string home, string relative, string agent)
    {
        var path = Path.Combine(home, relative);
        if (HomeFiles.ReadText(home, relative) is not { } text || text.Trim().Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw Refuse(path, agent, "its top level is not a JSON object");
        }
        catch (JsonException ex)
        {
            if (ParsesWithComments(text))
            {
                throw Refuse(path, agent, "it has comments or trailing commas, which Airlock cannot keep when it writes the file back");
            }

            throw Refuse(path, agent, $"it is not valid JSON ({ex.Message})");
        }
    }

    public static void Save(string home, string relative, JsonObject root) =>
        HomeFiles.WriteText(home, relative, root.ToJsonString(Output) + "\n");

    /// <summary>The object at <paramref name="key"/>, created when missing; a non-object there is the user's, so it is refused.</summary>
    public static JsonObject ObjectAt(JsonObject parent, string key, string path, string agent, string where)
    {
        switch (parent[key])
        {
            case null:
                var created = new JsonObject();
                parent[key] = created;
                return created;
            case JsonObject existing:
                return existing;
            default:
                throw Refuse(path, agent, $"'{where}' is not a JSON object");
        }
    }

    private static ConduitException Refuse(string path, string agent, string why) =>
        new($"{path}: {why}; Airlock left it untouched and did not configure {agent}",
            $"fix or move the file aside (it is {agent}'s config), then run the command again");

    private static bool ParsesWithComments(string text)
    {
        try
        {
            JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
