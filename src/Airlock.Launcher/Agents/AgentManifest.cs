using System.Text.Json;

namespace Airlock.Launcher.Agents;

/// <summary>
/// What the cli-agents template records at build time in <see cref="PathInImage"/>: Node's version and every installed
/// package with its version. Reading one file is far cheaper than starting each agent to ask.
/// </summary>
public sealed record AgentManifest(string? NodeVersion, IReadOnlyDictionary<string, string> Packages)
{
    public const string PathInImage = "/usr/local/share/airlock/agents.json";

    /// <summary>The catalog's agents, each with its installed version, or null when the image lacks it.</summary>
    public IReadOnlyList<(AgentDefinition Agent, string? Version)> Agents =>
        AgentCatalog.All.Select(a => (a, Packages.TryGetValue(a.Package, out var v) ? v : null)).ToList();

    public static AgentManifest Parse(string json, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var node = root.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var packages = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("packages", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                foreach (var package in p.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.String))
                {
                    packages[package.Name] = package.Value.GetString()!;
                }
            }

            return new AgentManifest(node, packages);
        }
        catch (JsonException ex)
        {
            throw new LauncherException($"{where}: the agent manifest is not valid JSON ({ex.Message}); rebuild the namespace to write it again");
        }
    }
}
