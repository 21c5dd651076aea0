using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>Everything a launch will do, decided before anything is created (and what --dry-run prints).</summary>
public sealed record LaunchPlan(string SessionName, SandboxSpec Spec, IReadOnlyList<string> Warnings, string DisplayMode)
{
    /// <summary>Files the launch writes on the host just before the sandbox is created (not by --dry-run): path to content.</summary>
    public IReadOnlyDictionary<string, string> HostFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>The project's read-only parts, and the check of what the session left there.</summary>
    public ProjectProtection? Protection { get; init; }

    /// <summary>The secrets the sandbox gets placeholders for; the policy point adds their values.</summary>
    public IReadOnlyList<Secrets.PlannedSecret> Secrets { get; init; } = [];

    /// <summary>Who the sandbox belongs to: the launcher, in this namespace and project, as this session.</summary>
    public required SandboxOwner Owner { get; init; }

    /// <summary>The spec with the labels the sandbox is given (its owner's): what --dry-run prints.</summary>
    public SandboxSpec LabelledSpec => Spec with { Labels = Owner.WrittenOver(Spec.Labels) };
}
