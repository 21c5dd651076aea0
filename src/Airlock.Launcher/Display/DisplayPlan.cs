using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Display;

/// <summary>What display forwarding adds to a sandbox: sockets, variables, devices and a writable runtime dir.</summary>
public sealed record DisplayPlan(
    string Mode,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<SandboxMount> Mounts,
    IReadOnlyList<string> Devices,
    IReadOnlyDictionary<string, string> Tmpfs)
{
    public static readonly DisplayPlan None = new("none", new Dictionary<string, string>(), [], [], new Dictionary<string, string>());
}
