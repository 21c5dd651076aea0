namespace Airlock.Engine.Events;

/// <summary>Which events to receive. Labels are <c>key</c> or <c>key=value</c>.</summary>
public sealed record EventFilter(IReadOnlyList<string>? Labels = null, IReadOnlyList<string>? Types = null, IReadOnlyList<string>? Actions = null, DateTimeOffset? Since = null);
