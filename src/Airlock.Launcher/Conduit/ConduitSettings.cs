namespace Airlock.Launcher.Conduit;

/// <summary>What conduit remembers for one namespace: the endpoint, an optional API key, and the last model per agent.</summary>
public sealed record ConduitSettings
{
    public static readonly ConduitSettings Empty = new();

    public string? Endpoint { get; init; }

    public string? Preset { get; init; }

    /// <summary>Sent as the bearer token; never printed. Local servers ignore it, hosted ones need it.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// The host variable holding the endpoint's key (<c>--api-key-from-env</c>): the agent gets a placeholder and the
    /// policy point adds the key to requests to the endpoint's host. Only the name is stored, never the value.
    /// </summary>
    public string? ApiKeyFromEnv { get; init; }

    public IReadOnlyDictionary<string, string> LastModels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public ConduitEndpoint? GetEndpoint() => Endpoint is { Length: > 0 } url ? new ConduitEndpoint(url, Preset) : null;

    public ConduitSettings WithLastModel(string agent, string model)
    {
        var models = new Dictionary<string, string>(LastModels, StringComparer.Ordinal) { [agent] = model };
        return this with { LastModels = models };
    }
}
