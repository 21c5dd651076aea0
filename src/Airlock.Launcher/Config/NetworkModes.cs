using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Config;

/// <summary>
/// The launcher's network modes as people write them: <c>open</c> (the engine's bridge behind the network guard; also
/// spelt <c>bridge</c>, the older name), <c>allowlist</c> and <c>none</c>.
/// </summary>
public static class NetworkModes
{
    public const string Open = "open";

    public const string Allowlist = NetworkPolicy.Allowlist;

    public const string None = NetworkPolicy.None;

    public const string Names = "open, allowlist, none";

    public static bool IsKnown(string mode) => mode is Open or NetworkPolicy.Bridge or Allowlist or None;

    /// <summary>The spec's mode for a known one.</summary>
    public static string ToSpec(string mode) => mode == Open ? NetworkPolicy.Bridge : mode;
}
