namespace Airlock.Launcher.Agents;

/// <summary>The registry an agent's package comes from.</summary>
public enum AgentSource
{
    Npm,

    /// <summary>The Python package index: optional in the cli-agents template, since not every machine reaches it.</summary>
    PyPI,
}
