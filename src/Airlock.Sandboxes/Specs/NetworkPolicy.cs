namespace Airlock.Sandboxes.Specs;

/// <summary>How the sandbox reaches the network.</summary>
/// <param name="Mode"><c>bridge</c> (outbound access, the default: agents talk to model providers), or <c>none</c>.</param>
/// <param name="HostPorts">Ports of the host's loopback the sandbox may reach at <see cref="HostServiceName"/>; nothing else of the host.</param>
public sealed record NetworkPolicy(string Mode, IReadOnlyList<int> HostPorts)
{
    /// <summary>The one stable name under which host services appear inside every sandbox.</summary>
    public const string HostServiceName = "host.airlock.internal";

    public static readonly NetworkPolicy Default = new("bridge", []);

    public static readonly NetworkPolicy Offline = new("none", []);
}
