namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// What the launcher tests may leave in an engine and must not: session containers (labelled io.airlock.owner=launcher)
/// and namespace images (localhost/airlock:it-*, and untagged images labelled with an it-* namespace). Checked in rootful
/// podman, Docker, and the test user's rootless podman, for this run's objects (its namespaces are it-RUN-*, its
/// projects under /tmp/airlock-it-RUN-*): another run of the suite on the machine (a CI copy) is not a leak, and
/// removing its objects would break it.
/// </summary>
public static class LeakCheck
{
    private static readonly string[] OwnerLabels = ["io.airlock.owner=launcher", "io.airlock.owner=launcher-guard"];

    /// <summary>Finds leftovers, removes them (so one failure does not litter the next run) and says what they were.</summary>
    public static async Task<List<string>> FindAndRemoveAsync()
    {
        var found = new List<string>();
        var places = new List<(string Engine, bool AsTestUser, string Label)>
        {
            (Engines.Podman, false, "podman"),
            (Engines.Docker, false, "docker"),
        };
        if (TestUser.Exists)
        {
            places.Add((Engines.Podman, true, $"rootless podman of {TestUser.Name}"));
        }

        foreach (var (engine, asTestUser, label) in places)
        {
            using var imageLock = await EngineImageLock.AcquireAsync(engine, asTestUser);
            foreach (var owner in OwnerLabels)
            {
                var containers = await RunContainersAsync(engine, asTestUser, owner);
                found.AddRange(containers.Select(c => $"{label}: container {c} ({owner})"));
                await Engines.RemoveContainersAsync(engine, asTestUser, containers);
            }

            foreach (var tag in (await Engines.ImageTagsAsync(engine, asTestUser)).Where(t => t.StartsWith(Names.ImagePrefix, StringComparison.Ordinal)))
            {
                found.Add($"{label}: image {tag}");
                await Engines.RemoveImageAsync(engine, tag, asTestUser);
            }

            // Untagged ones too: an image a rebuild replaced, or one a failed removal left, takes the same disk space.
            foreach (var (id, ns) in await NamespaceImagesAsync(engine, Names.NamespacePrefix, asTestUser))
            {
                found.Add($"{label}: untagged image {id[..Math.Min(id.Length, 19)]} of namespace {ns}");
                await Engines.CliAsync(engine, asTestUser, "rmi", "-f", id);
            }
        }

        return found;
    }

    public static string Describe(IReadOnlyList<string> leaks) =>
        $"{leaks.Count} launcher object(s) were left behind (now removed); a test or airlock itself is missing a clean-up "
        + $"(or a real airlock session was running on this machine during the tests):{Environment.NewLine}  "
        + string.Join(Environment.NewLine + "  ", leaks);

    /// <summary>
    /// Containers with <paramref name="label"/> that belong to this run: a namespace of this run, or a project in one of its
    /// scratch dirs (the bootstrap tests' sessions are of namespace 'default').
    /// </summary>
    private static async Task<List<string>> RunContainersAsync(string engine, bool asTestUser, string label)
    {
        var scratch = Path.Combine(Path.GetTempPath(), Names.ScratchPrefix);
        var ours = new List<string>();
        foreach (var name in await Engines.ContainersAsync(engine, asTestUser, label))
        {
            // ps formats labels differently in podman and Docker; inspect's .Config.Labels is the same map in both.
            var inspect = await Engines.CliAsync(engine, asTestUser, "container", "inspect", "--format",
                "{{index .Config.Labels \"io.airlock.namespace\"}}\t{{index .Config.Labels \"io.airlock.project\"}}", name);
            var fields = inspect.Stdout.Trim().Split('\t');
            if (inspect.ExitCode == 0 && fields.Length == 2
                && (fields[0].StartsWith(Names.NamespacePrefix, StringComparison.Ordinal) || fields[1].StartsWith(scratch, StringComparison.Ordinal)))
            {
                ours.Add(name);
            }
        }

        return ours;
    }

    /// <summary>
    /// Images (tagged or not) built by the launcher for a namespace whose name starts with <paramref name="prefix"/>,
    /// as (id, namespace): an untagged one is what a rebuild or a failed clean-up can leave behind.
    /// </summary>
    private static async Task<List<(string Id, string Namespace)>> NamespaceImagesAsync(string engine, string prefix, bool asTestUser)
    {
        var ids = Engines.Lines((await Engines.CliAsync(engine, asTestUser, "images", "-a", "-q", "--no-trunc", "--filter", "label=io.airlock.owner=launcher")).ShouldSucceed().Stdout)
            .Distinct()
            .ToList();
        var found = new List<(string, string)>();
        foreach (var id in ids)
        {
            var inspect = await Engines.CliAsync(engine, asTestUser, "image", "inspect", "--format", "{{index .Config.Labels \"io.airlock.namespace\"}}", id);
            if (inspect.ExitCode == 0 && inspect.Stdout.Trim() is { } ns && ns.StartsWith(prefix, StringComparison.Ordinal))
            {
                found.Add((id, ns));
            }
        }

        return found;
    }
}
