namespace Airlock.Launcher.Conduit.Writers;

/// <summary>Aider (through litellm) takes an OpenAI-compatible server from OPENAI_API_BASE and the model as <c>openai/MODEL</c>.</summary>
public sealed class AiderWriter : IAgentConfigWriter
{
    public string Agent => "aider";

    public string Command => "aider";

    public AgentSetup Configure(string home, AgentTarget target) => AgentSetup.EnvOnly(new Dictionary<string, string>
    {
        ["OPENAI_API_BASE"] = target.BaseUrl,
        ["OPENAI_API_KEY"] = target.KeyOrPlaceholder,
        ["AIDER_MODEL"] = "openai/" + target.Model,
    });
}
