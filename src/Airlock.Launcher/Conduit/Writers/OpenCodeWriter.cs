using System.Text.Json.Nodes;

namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// OpenCode: a provider <c>airlock</c> (the bundled <c>@ai-sdk/openai-compatible</c> SDK) in ~/.config/opencode/opencode.json,
/// so it also shows in OpenCode's own model list; the model of this launch comes through OPENCODE_CONFIG_CONTENT, which
/// OpenCode merges over its files, so the user's own default model stays as it is.
/// </summary>
public sealed class OpenCodeWriter : IAgentConfigWriter
{
    public const string RelativePath = ".config/opencode/opencode.json";

    public string Agent => "opencode";

    public string Command => "opencode";

    public AgentSetup Configure(string home, AgentTarget target)
    {
        var path = Path.Combine(home, RelativePath);
        var root = JsonConfigFile.Load(home, RelativePath, Agent);
        root.TryAdd("$schema", "https://opencode.ai/config.json");
        var providers = JsonConfigFile.ObjectAt(root, "provider", path, Agent, "provider");
        providers[AgentTarget.EntryName] = new JsonObject
        {
            ["npm"] = "@ai-sdk/openai-compatible",
            ["name"] = "Airlock conduit",
            ["options"] = new JsonObject
            {
                ["baseURL"] = target.BaseUrl,
                ["apiKey"] = $"{{env:{AgentTarget.ApiKeyVariable}}}",
            },
            ["models"] = new JsonObject { [target.Model] = new JsonObject { ["name"] = target.Model } },
        };
        JsonConfigFile.Save(home, RelativePath, root);
        var model = new JsonObject { ["model"] = $"{AgentTarget.EntryName}/{target.Model}" };
        return new AgentSetup(
            new Dictionary<string, string>
            {
                [AgentTarget.ApiKeyVariable] = target.KeyOrPlaceholder,
                ["OPENCODE_CONFIG_CONTENT"] = model.ToJsonString(),
            },
            [],
            [path]);
    }
}
