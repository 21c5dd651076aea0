namespace Airlock.Launcher.Conduit.Writers;

/// <summary>What an agent is pointed at: the endpoint's base URL as the agent will see it, the model, and the API key if any.</summary>
public sealed record AgentTarget(string BaseUrl, string Model, string? ApiKey)
{
    /// <summary>The variable that carries the API key to agents whose config names a variable instead of holding the key.</summary>
    public const string ApiKeyVariable = "AIRLOCK_CONDUIT_API_KEY";

    /// <summary>Sent when no key is set: local servers ignore it, but most agents refuse to start with an empty key.</summary>
    public const string PlaceholderKey = "airlock-conduit";

    /// <summary>The name Airlock's own entries (providers, profiles) carry in agents' config files.</summary>
    public const string EntryName = "airlock";

    public string KeyOrPlaceholder => ApiKey is { Length: > 0 } key ? key : PlaceholderKey;

    /// <summary>The server's root (the base URL without a trailing /v1), for agents that append /v1/... themselves.</summary>
    public string RootUrl => BaseUrl.EndsWith("/v1", StringComparison.Ordinal) ? BaseUrl[..^3] : BaseUrl;
}
