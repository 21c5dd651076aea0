using System.Text.Json.Nodes;

namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// pi: a provider <c>airlock</c> (api openai-completions) in ~/.pi/agent/models.json, selected with --provider/--model so
/// pi's own default in settings.json stays. <c>apiKey</c> names a variable, which pi resolves, so no key is on disk.
/// </summary>
public sealed class PiWriter : IAgentConfigWriter
{
    public const string RelativePath = ".pi/agent/models.json";

    public string Agent => "pi";

    public string Command => "pi";

    public AgentSetup Configure(string home, AgentTarget target)
    {
        var path = Path.Combine(home, RelativePath);
        var root = JsonConfigFile.Load(home, RelativePath, Agent);
        var providers = JsonConfigFile.ObjectAt(root, "providers", path, Agent, "providers");
        providers[AgentTarget.EntryName] = new JsonObject
        {
            ["baseUrl"] = target.BaseUrl,
            ["api"] = "openai-completions",
            ["apiKey"] = AgentTarget.ApiKeyVariable,
            // Local servers reject the "developer" role and reasoning_effort that pi sends to OpenAI's own models.
            ["compat"] = new JsonObject { ["supportsDeveloperRole"] = false, ["supportsReasoningEffort"] = false },
            ["models"] = new JsonArray(new JsonObject { ["id"] = target.Model }),
        };
        JsonConfigFile.Save(home, RelativePath, root);
        return new AgentSetup(
            new Dictionary<string, string> { [AgentTarget.ApiKeyVariable] = target.KeyOrPlaceholder },
            ["--provider", AgentTarget.EntryName, "--model", target.Model],
            [path]);
    }
}
