using Airlock.Engine.Transport;

namespace Airlock.Server.Nodes;

/// <summary>
/// One engine endpoint the server places sandboxes on. Its capacity is the engine's /info (NCPU, MemTotal) unless
/// <see cref="CpuMillis"/> or <see cref="MemoryBytes"/> set it. An unbounded node (the single engine of a server started
/// without --node) checks no capacity: tenant quotas are then the only limit, as they were before placement.
/// </summary>
public sealed record NodeOptions(string Name, EngineEndpoint Endpoint, long? CpuMillis = null, long? MemoryBytes = null, bool Unbounded = false);
