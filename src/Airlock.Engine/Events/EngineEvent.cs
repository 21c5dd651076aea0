using System.Text.Json.Serialization;

namespace Airlock.Engine.Events;

/// <summary>One entry of GET /events: what happened (<see cref="Action"/>) to which object.</summary>
public sealed class EngineEvent
{
    public string? Type { get; init; }
    public string? Action { get; init; }
    public EventActor Actor { get; init; } = new();

    [JsonPropertyName("time")]
    public long Time { get; init; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }

    /// <summary>The object's id (a container's id for container events).</summary>
    public string Id => Actor.ID;

    /// <summary>Attributes carry the object's labels and, for <c>die</c>, <c>exitCode</c>.</summary>
    public string? Attribute(string name) => Actor.Attributes is { } a && a.TryGetValue(name, out var v) ? v : null;
}

public sealed class EventActor
{
    public string ID { get; init; } = "";
    public Dictionary<string, string>? Attributes { get; init; }
}
