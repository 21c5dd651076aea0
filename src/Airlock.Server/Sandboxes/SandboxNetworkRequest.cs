using System.Text.Json.Serialization;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// A sandbox's network as a create (<c>network</c>) or <c>PUT /v1/sandboxes/{id}/network</c> gives it: the object
/// <c>{"mode": "none"|"allowlist"|"open", "allow": [...]}</c>, or one of the strings of before (<c>"none"</c>,
/// <c>"bridge"</c> for open), read by <see cref="SandboxNetworkJsonConverter"/>. Always written as the object.
/// </summary>
[JsonConverter(typeof(SandboxNetworkJsonConverter))]
public sealed record SandboxNetworkRequest(string? Mode, IReadOnlyList<string>? Allow)
{
    public const string None = "none";
    public const string Allowlist = "allowlist";
    public const string Open = "open";

    /// <summary>The string of before for <see cref="Open"/>.</summary>
    public const string Bridge = "bridge";

    /// <summary>Whether it was given as a string (<c>"network": "bridge"</c>), which has no <c>allow</c>.</summary>
    [JsonIgnore]
    public bool WasString { get; init; }
}
