using System.Text.Json.Nodes;

namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// Crush: a provider <c>airlock</c> (type openai-compat) in ~/.config/crush/crush.json, and the model picked for the large
/// and small slots in ~/.local/share/crush/crush.json, the file where Crush's own model picker records that choice.
/// Crush expands <c>$VAR</c> in api_key, so no key is on disk.
/// </summary>
public sealed class CrushWriter : IAgentConfigWriter
{
    public const string ConfigPath = ".config/crush/crush.json";
    public const string DataPath = ".local/share/crush/crush.json";

    public string Agent => "crush";

    public string Command => "crush";

    public AgentSetup Configure(string home, AgentTarget target)
    {
        var configPath = Path.Combine(home, ConfigPath);
        var dataPath = Path.Combine(home, DataPath);
        // Both files are read (and so checked) before either is written: a bad second file leaves the first as it was.
        var config = JsonConfigFile.Load(home, ConfigPath, Agent);
        var data = JsonConfigFile.Load(home, DataPath, Agent);
        var providers = JsonConfigFile.ObjectAt(config, "providers", configPath, Agent, "providers");
        var models = JsonConfigFile.ObjectAt(data, "models", dataPath, Agent, "models");

        config.TryAdd("$schema", "https://charm.land/crush.json");
        providers[AgentTarget.EntryName] = new JsonObject
        {
            ["name"] = "Airlock conduit",
            ["type"] = "openai-compat",
            ["base_url"] = target.BaseUrl,
            ["api_key"] = "$" + AgentTarget.ApiKeyVariable,
            ["models"] = new JsonArray(new JsonObject
            {
                ["id"] = target.Model,
                ["name"] = target.Model,
                ["context_window"] = 131072,
                ["default_max_tokens"] = 8192,
            }),
        };
        models["large"] = new JsonObject { ["model"] = target.Model, ["provider"] = AgentTarget.EntryName };
        models["small"] = new JsonObject { ["model"] = target.Model, ["provider"] = AgentTarget.EntryName };

        JsonConfigFile.Save(home, ConfigPath, config);
        JsonConfigFile.Save(home, DataPath, data);
        return new AgentSetup(
            new Dictionary<string, string> { [AgentTarget.ApiKeyVariable] = target.KeyOrPlaceholder },
            [],
            [configPath, dataPath]);
    }
}
