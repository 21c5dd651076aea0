using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>Everything a launch will do, decided before anything is created (and what --dry-run prints).</summary>
public sealed record LaunchPlan(string SessionName, SandboxSpec Spec, IReadOnlyList<string> Warnings, string DisplayMode)
{
    /// <summary>Files the launch writes on the host just before the sandbox is created (not by --dry-run): path to content.</summary>
    public IReadOnlyDictionary<string, string> HostFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>The project's read-only parts, and the check of what the session left there.</summary>
    public ProjectProtection? Protection { get; init; }
}
