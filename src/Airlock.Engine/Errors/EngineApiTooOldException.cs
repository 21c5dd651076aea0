namespace Airlock.Engine.Errors;

/// <summary>The engine serves an Engine API older than the oldest one Airlock speaks.</summary>
public sealed class EngineApiTooOldException(string serverVersion, string minimumVersion)
    : EngineException($"the engine serves Engine API {serverVersion}, but Airlock needs {minimumVersion} or newer; upgrade Docker (20.10+) or podman (4.0+)")
{
    public string ServerVersion { get; } = serverVersion;
    public string MinimumVersion { get; } = minimumVersion;
}
