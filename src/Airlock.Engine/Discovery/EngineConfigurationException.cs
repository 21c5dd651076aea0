namespace Airlock.Engine.Discovery;

/// <summary>An engine setting (AIRLOCK_ENGINE, DOCKER_HOST) is malformed: the user's input is wrong.</summary>
public sealed class EngineConfigurationException(string message) : Exception(message);
