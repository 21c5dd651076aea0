namespace Airlock.Server.Sandboxes;

/// <summary>A checked lifetime from a create: how long the sandbox lives, what ending means, how long it may sit unused.</summary>
public sealed record LifetimeRequest(TimeSpan? Timeout, string OnTimeout, TimeSpan? IdleTimeout);
