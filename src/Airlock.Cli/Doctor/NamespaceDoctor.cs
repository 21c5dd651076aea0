using Airlock.Launcher.Identity;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Validation;

namespace Airlock.Cli.Doctor;

/// <summary>Checks every namespace in config.yaml: its image, its home, and whether its dotfiles drifted from the image.</summary>
public static class NamespaceDoctor
{
    public static async Task<IReadOnlyList<NamespaceReport>> CheckAsync(ISandboxRuntime runtime, AirlockPaths paths, TimeProvider time, List<ProblemReport> problems, CancellationToken ct)
    {
        var manager = new NamespaceManager(paths, runtime, HostUser.Current() with { Home = paths.UserHome }, time);
        IReadOnlyList<NamespaceStatus> namespaces;
        try
        {
            namespaces = await manager.ListAsync(ct);
        }
        catch (ValidationException ex)
        {
            problems.Add(new ProblemReport("config-invalid", ex.Message, "correct the fields named above: airlock config"));
            return [];
        }

        var reports = new List<NamespaceReport>();
        foreach (var ns in namespaces)
        {
            var drift = ns.ImagePresent && ns.HomePresent && await manager.HasSkeletonDriftAsync(ns.Name, ns.Config, ct);
            reports.Add(new NamespaceReport(ns.Name, ns.Config.Image, ns.Config.Template, ns.ImagePresent, ns.HomePresent, drift));
            var rebuild = $"airlock rebuild namespace {ns.Name}";
            if (!ns.ImagePresent)
            {
                problems.Add(new ProblemReport("namespace-image-missing", $"namespace '{ns.Name}': its image {ns.Config.Image} is missing", rebuild, rebuild));
            }
            else if (NamespaceImage.IsLegacy(ns.Config.Image, ns.Name))
            {
                problems.Add(new ProblemReport(
                    "namespace-image-shared",
                    $"namespace '{ns.Name}': its image {ns.Config.Image} has the name every user of this engine (and every AIRLOCK_HOME) gives a namespace called '{ns.Name}', so theirs can replace or delete it",
                    $"{rebuild} (builds it as {NamespaceImage.For(ns.Name, manager.OwnerId)}, a name of its own)",
                    rebuild));
            }

            if (!ns.HomePresent)
            {
                var reset = $"airlock reset namespace {ns.Name}";
                problems.Add(new ProblemReport("namespace-home-missing", $"namespace '{ns.Name}': its home {paths.Contract(paths.NamespaceHome(ns.Name))} is missing", reset, reset));
            }
        }

        return reports;
    }
}

/// <param name="SkeletonDrift">The image ships different dotfiles than the home was seeded with (a notice, not a problem).</param>
public sealed record NamespaceReport(string Name, string Image, string? Template, bool ImagePresent, bool HomePresent, bool SkeletonDrift);
