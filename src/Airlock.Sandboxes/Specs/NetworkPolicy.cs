namespace Airlock.Sandboxes.Specs;

/// <summary>How the sandbox reaches the network.</summary>
/// <param name="Mode">
/// <see cref="Bridge"/> (the engine's bridge behind the network guard: "open"), <see cref="Allowlist"/> (no interface but
/// loopback; only what <see cref="Allow"/> lists, through Airlock's egress policy point outside the sandbox), or
/// <see cref="None"/> (loopback only).
/// </param>
/// <param name="HostPorts">Ports of the host's loopback the sandbox may reach at <see cref="HostServiceName"/>; nothing else of the host.</param>
public sealed record NetworkPolicy(string Mode, IReadOnlyList<int> HostPorts)
{
    /// <summary>The one stable name under which host services appear inside every sandbox.</summary>
    public const string HostServiceName = "host.airlock.internal";

    public const string Bridge = "bridge";

    public const string Allowlist = "allowlist";

    public const string None = "none";

    public static readonly NetworkPolicy Default = new(Bridge, []);

    public static readonly NetworkPolicy Offline = new(None, []);

    /// <summary>In <see cref="Allowlist"/> mode, the destinations let through, as written (host, <c>*.suffix</c>, <c>host:port</c>, CIDR).</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    /// <summary>Whether the sandbox has no network interface but loopback (its traffic, if any, goes through the relay).</summary>
    public bool LoopbackOnly => Mode is None or Allowlist;
}
