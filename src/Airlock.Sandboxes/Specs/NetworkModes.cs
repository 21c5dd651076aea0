using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Specs;

/// <summary>
/// The network modes as people write them, in config files, flags and request bodies: <c>open</c> (the engine's bridge
/// behind the network guard; also spelt <c>bridge</c>, the older name), <c>allowlist</c> and <c>none</c>. The one list
/// every face and the spec's validation use.
/// </summary>
public static class NetworkModes
{
    public const string Open = "open";

    public const string Allowlist = NetworkPolicy.Allowlist;

    public const string None = NetworkPolicy.None;

    /// <summary>For messages: the names to write, strongest last is not implied.</summary>
    public const string Names = "open, allowlist, none";

    public static IReadOnlyList<string> All { get; } = [Open, Allowlist, None];

    public static bool IsKnown(string mode) => mode is Open or NetworkPolicy.Bridge or Allowlist or None;

    /// <summary>The spec's mode for a known one (<c>open</c> is the spec's <see cref="NetworkPolicy.Bridge"/>).</summary>
    public static string ToSpec(string mode) => mode == Open ? NetworkPolicy.Bridge : mode;

    /// <summary>The name people write for a spec's mode (<see cref="NetworkPolicy.Bridge"/> is shown as <c>open</c>).</summary>
    public static string FromSpec(string specMode) => specMode == NetworkPolicy.Bridge ? Open : specMode;

    /// <summary>Whether <paramref name="specMode"/> is one a <see cref="NetworkPolicy"/> may hold.</summary>
    public static bool IsSpecMode(string specMode) => specMode is NetworkPolicy.Bridge or Allowlist or None;

    /// <summary>The policy point's mode for a known name; null for an unknown one.</summary>
    public static EgressMode? ToEgressMode(string mode) => mode switch
    {
        Open or NetworkPolicy.Bridge => EgressMode.Open,
        Allowlist => EgressMode.Allowlist,
        None => EgressMode.None,
        _ => null,
    };
}
