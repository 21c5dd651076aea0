using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary>Conduit's view of a workspace: a namespace entry with a home (no image needed for the commands that run no sandbox).</summary>
internal static class ConduitWorkspace
{
    /// <summary>Registers namespace <paramref name="name"/> in the workspace's own config with an (empty) home, as `create namespace` leaves it.</summary>
    public static string RegisterNamespace(this Workspace ws, string name = "agents")
    {
        var buildDir = Directory.CreateDirectory(Path.Combine(ws.Root, "build", name)).FullName;
        Directory.CreateDirectory(ws.NamespaceHome(name));
        var existing = File.Exists(ws.ConfigFile) ? File.ReadAllText(ws.ConfigFile) : "namespaces:\n";
        ws.Write(ws.ConfigFile, existing.TrimEnd('\n') + $"\n  {name}:\n    image: localhost/airlock:{name}\n    buildDir: {buildDir}/\n");
        return name;
    }

    public static string SettingsFile(this Workspace ws, string ns = "agents") => Path.Combine(ws.NamespaceHome(ns), ".config", "airlock", "conduit.json");

    public static JsonNode Settings(this Workspace ws, string ns = "agents") => JsonNode.Parse(File.ReadAllText(ws.SettingsFile(ns)))!;

    /// <summary>Every file in the namespace home, relative: what conduit wrote there.</summary>
    public static string[] HomeFiles(this Workspace ws, string ns = "agents") =>
        Directory.GetFiles(ws.NamespaceHome(ns), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(ws.NamespaceHome(ns), f)).Order(StringComparer.Ordinal).ToArray();
}
