namespace Airlock.Engine.Identity;

/// <summary>The machine an engine runs containers on, as its <c>/info</c> reports it.</summary>
public sealed record EngineResources(int Cpus, long MemoryBytes);
