namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// Gemini CLI has no OpenAI-compatible mode: with GOOGLE_GEMINI_BASE_URL set it uses its "gateway" auth and sends Gemini
/// API requests (models/M:streamGenerateContent) to that root. It works against servers or proxies that serve the Gemini
/// API (LiteLLM, for one), not against a plain OpenAI-compatible server; docs/conduit.md says so.
/// </summary>
public sealed class GeminiWriter : IAgentConfigWriter
{
    public string Agent => "gemini";

    public string Command => "gemini";

    public AgentSetup Configure(string home, AgentTarget target) => AgentSetup.EnvOnly(new Dictionary<string, string>
    {
        ["GOOGLE_GEMINI_BASE_URL"] = target.RootUrl,
        ["GEMINI_API_KEY"] = target.KeyOrPlaceholder,
        ["GEMINI_MODEL"] = target.Model,
    });
}
