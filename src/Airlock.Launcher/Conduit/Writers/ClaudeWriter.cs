namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// Claude Code takes everything from its environment. It speaks Anthropic's Messages API (POST {root}/v1/messages), which
/// Ollama, LM Studio, vLLM and llama.cpp's server also serve; every model tier is pointed at the chosen model.
/// </summary>
public sealed class ClaudeWriter : IAgentConfigWriter
{
    public string Agent => "claude";

    public string Command => "claude";

    public AgentSetup Configure(string home, AgentTarget target) => AgentSetup.EnvOnly(new Dictionary<string, string>
    {
        ["ANTHROPIC_BASE_URL"] = target.RootUrl,
        ["ANTHROPIC_AUTH_TOKEN"] = target.KeyOrPlaceholder,
        ["ANTHROPIC_MODEL"] = target.Model,
        ["ANTHROPIC_DEFAULT_OPUS_MODEL"] = target.Model,
        ["ANTHROPIC_DEFAULT_SONNET_MODEL"] = target.Model,
        ["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = target.Model,
        ["ANTHROPIC_SMALL_FAST_MODEL"] = target.Model,
        ["CLAUDE_CODE_SUBAGENT_MODEL"] = target.Model,
        // No telemetry or update checks to Anthropic from a session that is meant to stay on the local server.
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
    });
}
