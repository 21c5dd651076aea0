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

    /// <summary>
    /// Arguments for `airlock NS ... -- dotnet airlock.dll conduit ARGS`: this build of airlock and the host's .NET mounted
    /// read-only, as docs/conduit.md describes for using conduit inside a sandbox.
    /// </summary>
    public static string[] InSandbox(string ns, IEnumerable<string> launchFlags, params string[] conduitArgs)
    {
        var dotnetRoot = Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "/usr/share/dotnet/dotnet")!;
        var airlockDir = Path.GetDirectoryName(AirlockBinary.Path)!;
        return [ns, "--volume", $"{dotnetRoot}:/opt/dotnet:ro", "--volume", $"{airlockDir}:/opt/airlock:ro", .. launchFlags,
            "--", "/opt/dotnet/dotnet", "/opt/airlock/airlock.dll", "conduit", .. conduitArgs];
    }
}
