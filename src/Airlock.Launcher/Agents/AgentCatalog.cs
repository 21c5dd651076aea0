namespace Airlock.Launcher.Agents;

/// <summary>
/// The agents Airlock runs, by name. The names are the contract other features key on (conduit's config writers, the
/// namespace's install manifest), so they never change once published.
/// </summary>
public static class AgentCatalog
{
    /// <summary>The namespace <c>airlock run</c> uses unless told otherwise; created from <see cref="Template"/> on first use.</summary>
    public const string DefaultNamespace = "agents";

    /// <summary>The baked-in template that installs every agent below.</summary>
    public const string Template = "cli-agents";

    // Shared by several agents that talk to the same providers.
    private static readonly string[] Aws = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"];
    private static readonly string[] Vertex = ["GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_GENAI_USE_VERTEXAI"];

    public static IReadOnlyList<AgentDefinition> All { get; } =
    [
        new("claude", "Claude Code", "claude", "@anthropic-ai/claude-code", AgentSource.Npm,
            [
                "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_CUSTOM_HEADERS",
                "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "ANTHROPIC_DEFAULT_OPUS_MODEL", "ANTHROPIC_DEFAULT_SONNET_MODEL",
                "ANTHROPIC_DEFAULT_HAIKU_MODEL", "CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX",
                "ANTHROPIC_VERTEX_PROJECT_ID", "CLOUD_ML_REGION", "CLAUDE_CODE_MAX_OUTPUT_TOKENS", "MAX_THINKING_TOKENS",
                "API_TIMEOUT_MS", "DISABLE_TELEMETRY", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
            ],
            [".claude", ".claude.json"],
            ["--version"],
            // Claude Code uses AWS only on Bedrock: without the switch, the host's AWS keys stay out.
            [new SwitchedVariables("CLAUDE_CODE_USE_BEDROCK", Aws)]),
        new("codex", "Codex CLI", "codex", "@openai/codex", AgentSource.Npm,
            [
                "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORGANIZATION", "OPENAI_PROJECT", "CODEX_OSS_BASE_URL",
                "CODEX_OSS_PORT", "AZURE_OPENAI_API_KEY", "OPENROUTER_API_KEY", "MISTRAL_API_KEY",
            ],
            [".codex"],
            ["--version"]),
        new("gemini", "Gemini CLI", "gemini", "@google/gemini-cli", AgentSource.Npm,
            ["GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_MODEL", "GOOGLE_GEMINI_BASE_URL", "GOOGLE_VERTEX_BASE_URL", "GOOGLE_GENAI_USE_GCA", .. Vertex],
            [".gemini"],
            ["--version"]),
        new("opencode", "OpenCode", "opencode", "opencode-ai", AgentSource.Npm,
            [
                "OPENCODE_CONFIG_CONTENT", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_GENERATIVE_AI_API_KEY",
                "OPENROUTER_API_KEY", "GROQ_API_KEY", "XAI_API_KEY", "DEEPSEEK_API_KEY", "MISTRAL_API_KEY", "CEREBRAS_API_KEY",
                "TOGETHER_AI_API_KEY", "FIREWORKS_API_KEY", "AZURE_RESOURCE_NAME", "AZURE_API_KEY", .. Aws,
            ],
            [".config/opencode", ".local/share/opencode", ".local/state/opencode"],
            ["--version"]),
        new("crush", "Crush", "crush", "@charmland/crush", AgentSource.Npm,
            [
                "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY", "GEMINI_API_KEY", "GROQ_API_KEY", "CEREBRAS_API_KEY",
                "HF_TOKEN", "VERTEXAI_PROJECT", "VERTEXAI_LOCATION", "AZURE_OPENAI_API_ENDPOINT", "AZURE_OPENAI_API_KEY",
                "AZURE_OPENAI_API_VERSION", .. Aws,
            ],
            [".config/crush", ".local/share/crush"],
            ["--version"]),
        new("pi", "pi", "pi", "@mariozechner/pi-coding-agent", AgentSource.Npm,
            [
                "ANTHROPIC_API_KEY", "ANTHROPIC_OAUTH_TOKEN", "OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_API_KEY", "GROQ_API_KEY",
                "CEREBRAS_API_KEY", "XAI_API_KEY", "OPENROUTER_API_KEY", "ZAI_API_KEY", "MISTRAL_API_KEY", "DEEPSEEK_API_KEY",
                "FIREWORKS_API_KEY", "KIMI_API_KEY", "MOONSHOT_API_KEY", "MINIMAX_API_KEY", "AI_GATEWAY_API_KEY", "HF_TOKEN",
                "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_BASE_URL", "COPILOT_GITHUB_TOKEN",
            ],
            [".pi"],
            ["--version"]),
        new("qwen", "Qwen Code", "qwen", "@qwen-code/qwen-code", AgentSource.Npm,
            [
                "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "QWEN_API_KEY", "QWEN_BASE_URL", "QWEN_MODEL", "DASHSCOPE_API_KEY",
                "GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_MODEL", .. Vertex, "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN",
                "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL",
            ],
            [".qwen"],
            ["--version"]),
        new("copilot", "GitHub Copilot CLI", "copilot", "@github/copilot", AgentSource.Npm,
            ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN", "COPILOT_MODEL"],
            [".copilot"],
            ["--version"]),
        new("aider", "Aider", "aider", "aider-chat", AgentSource.PyPI,
            [
                "AIDER_*", "OPENAI_API_KEY", "OPENAI_API_BASE", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY",
                "DEEPSEEK_API_KEY", "GROQ_API_KEY", "XAI_API_KEY", "MISTRAL_API_KEY", "OLLAMA_API_BASE",
            ],
            [".aider.conf.yml", ".aider.model.settings.yml", ".aider.model.metadata.json", ".aider"],
            ["--version"]),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToList();

    public static AgentDefinition? Find(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>The agent named <paramref name="name"/>, or a <see cref="LauncherException"/> listing the known ones.</summary>
    public static AgentDefinition Get(string name) => Find(name)
        ?? throw new LauncherException($"no agent named '{name}'. Known agents: {string.Join(", ", Names)} (see: airlock list agents)");

    /// <summary>The agent a package installs, or null when it installs none Airlock knows.</summary>
    public static AgentDefinition? ForPackage(string package) => All.FirstOrDefault(a => a.Package == package);
}
