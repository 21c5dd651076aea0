namespace Airlock.Launcher.Conduit.Writers;

/// <summary>Points one agent at an OpenAI-compatible endpoint, through that agent's own configuration (env, files or both).</summary>
public interface IAgentConfigWriter
{
    /// <summary>The agent's name in Airlock (claude, codex, ...).</summary>
    string Agent { get; }

    /// <summary>The executable that starts the agent.</summary>
    string Command { get; }

    /// <summary>Writes the agent's config files below <paramref name="home"/> (the home the agent will run with) and returns the rest.</summary>
    AgentSetup Configure(string home, AgentTarget target);
}
