namespace Airlock.Launcher.Conduit.Writers;

/// <summary>The agents conduit can point at an endpoint, by name.</summary>
public static class AgentWriters
{
    public static IReadOnlyList<IAgentConfigWriter> All { get; } =
    [
        new ClaudeWriter(), new CodexWriter(), new OpenCodeWriter(), new CrushWriter(), new PiWriter(), new GeminiWriter(), new QwenWriter(), new AiderWriter(),
    ];

    /// <summary>Agents Airlock knows that cannot be pointed at another endpoint, with the reason.</summary>
    public static IReadOnlyDictionary<string, string> Unsupported { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["copilot"] = "GitHub Copilot CLI only talks to GitHub's models service; it has no setting for another endpoint",
    };

    public static IAgentConfigWriter Get(string agent)
    {
        if (All.FirstOrDefault(w => w.Agent == agent) is { } writer)
        {
            return writer;
        }

        var names = string.Join(", ", All.Select(w => w.Agent));
        if (Unsupported.TryGetValue(agent, out var why))
        {
            throw new ConduitException($"conduit cannot launch '{agent}': {why}", $"pick one of: {names}; or run it with: airlock run {agent}");
        }

        throw new ConduitException($"conduit does not know an agent named '{agent}'", $"pick one of: {names}");
    }
}
