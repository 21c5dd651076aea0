using System.Text.Json.Nodes;

namespace Airlock.Launcher.Tests.Conduit;

internal static class WriterAssert
{
    public static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    /// <summary>Every file below <paramref name="dir"/>, relative, sorted: what a writer left behind.</summary>
    public static string[] FilesBelow(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal).ToArray();
}
