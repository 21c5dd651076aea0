namespace Airlock.Engine.Containers;

/// <summary>What part of a container's log to read.</summary>
/// <param name="Since">Only entries after this instant.</param>
/// <param name="Tail">The last N lines only; null for all.</param>
public sealed record LogsOptions(bool Follow = false, DateTimeOffset? Since = null, int? Tail = null, bool Timestamps = false, bool Stdout = true, bool Stderr = true);
