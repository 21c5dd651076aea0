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
                var containers = await Engines.RunContainersAsync(engine, asTestUser, owner);
                found.AddRange(containers.Select(c => $"{label}: container {c} ({owner})"));
                await Engines.RemoveContainersAsync(engine, asTestUser, containers);
            }

            foreach (var tag in (await Engines.ImageTagsAsync(engine, asTestUser)).Where(t => t.StartsWith(Names.ImagePrefix, StringComparison.Ordinal)))
            {
                found.Add($"{label}: image {tag}");
                await Engines.RemoveImageAsync(engine, tag, asTestUser);
            }

            // Untagged ones too: an image a rebuild replaced, or one a failed removal left, takes the same disk space.
            foreach (var (id, ns) in await Engines.NamespaceImagesAsync(engine, Names.NamespacePrefix, asTestUser))
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
}
