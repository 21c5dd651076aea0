namespace Airlock.Launcher.Conduit.Writers;

/// <summary>Qwen Code reads the OpenAI variables; <c>--auth-type openai</c> makes it use them instead of asking for a login.</summary>
public sealed class QwenWriter : IAgentConfigWriter
{
    public string Agent => "qwen";

    public string Command => "qwen";

    public AgentSetup Configure(string home, AgentTarget target) => AgentSetup.EnvOnly(
        new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = target.BaseUrl,
            ["OPENAI_API_KEY"] = target.KeyOrPlaceholder,
            ["OPENAI_MODEL"] = target.Model,
        },
        "--auth-type",
        "openai");
}
