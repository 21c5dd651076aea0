using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>Everything a launch will do, decided before anything is created (and what --dry-run prints).</summary>
public sealed record LaunchPlan(string SessionName, SandboxSpec Spec, IReadOnlyList<string> Warnings, string DisplayMode);
