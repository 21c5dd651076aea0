namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// The two engines, as AIRLOCK_ENGINE names them, and what the tests ask of them directly. Checks go through the engines'
/// own CLIs (not Airlock's engine client), so a bug in Airlock cannot hide itself from them.
/// </summary>
public static class Engines
{
    public const string Podman = "podman";
    public const string Docker = "docker";

    /// <summary>The base image scripts/base-image.sh makes in both engines; baked-in templates build FROM it.</summary>
    public const string BaseImage = "localhost/airlock-base:bookworm";

    public static TheoryData<string> Both => new(Podman, Docker);

    /// <summary>Where the tests find each engine: the rootful sockets the set-up scripts start.</summary>
    private static string[] CliPrefix(string engine) => engine switch
    {
        Podman => ["podman"],
        Docker => ["docker", "-H", "unix:///var/run/docker.sock"],
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "podman or docker"),
    };

    /// <summary>Runs the engine's CLI as root, or as the test user when <paramref name="asTestUser"/> (its rootless podman).</summary>
    public static Task<ProcessResult> CliAsync(string engine, bool asTestUser, params string[] args)
    {
        var prefix = CliPrefix(engine);
        if (!asTestUser)
        {
            return ProcessRunner.RunAsync(prefix[0], [.. prefix[1..], .. args], env: new Dictionary<string, string?> { ["DOCKER_HOST"] = null });
        }

        var (file, wrapped) = TestUser.Wrap(prefix[0], [.. prefix[1..], .. args], new Dictionary<string, string?>());
        return ProcessRunner.RunAsync(file, wrapped);
    }

    public static Task<ProcessResult> CliAsync(string engine, params string[] args) => CliAsync(engine, false, args);

    /// <summary>Names of containers (any state) that carry every one of the labels <c>KEY=VALUE</c>.</summary>
    public static async Task<List<string>> ContainersAsync(string engine, bool asTestUser, params string[] labels)
    {
        var result = (await CliAsync(engine, asTestUser, ["ps", "-a", .. labels.SelectMany(l => new[] { "--filter", "label=" + l }), "--format", "{{.Names}}"])).ShouldSucceed();
        return Lines(result.Stdout);
    }

    public static Task<List<string>> ContainersAsync(string engine, params string[] labels) => ContainersAsync(engine, false, labels);

    /// <summary>
    /// Containers with <paramref name="label"/> that belong to this run: a namespace of this run, or a project in one of its
    /// scratch dirs (the bootstrap tests' sessions are of namespace 'default').
    /// </summary>
    public static async Task<List<string>> RunContainersAsync(string engine, bool asTestUser, string label)
    {
        var scratch = Path.Combine(Path.GetTempPath(), Names.ScratchPrefix);
        var ours = new List<string>();
        foreach (var name in await ContainersAsync(engine, asTestUser, label))
        {
            // ps formats labels differently in podman and Docker; inspect's .Config.Labels is the same map in both.
            var inspect = await CliAsync(engine, asTestUser, "container", "inspect", "--format",
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

    /// <summary>Every tag (REPO:TAG) in the engine.</summary>
    public static async Task<List<string>> ImageTagsAsync(string engine, bool asTestUser = false)
    {
        var result = (await CliAsync(engine, asTestUser, "images", "--format", "{{.Repository}}:{{.Tag}}")).ShouldSucceed();
        return Lines(result.Stdout).Where(t => !t.Contains("<none>", StringComparison.Ordinal)).ToList();
    }

    /// <summary>
    /// Images (tagged or not) built by the launcher for a namespace whose name starts with <paramref name="prefix"/>,
    /// as (id, namespace): an untagged one is what a rebuild or a failed clean-up can leave behind.
    /// </summary>
    public static async Task<List<(string Id, string Namespace)>> NamespaceImagesAsync(string engine, string prefix, bool asTestUser = false)
    {
        var ids = Lines((await CliAsync(engine, asTestUser, "images", "-a", "-q", "--no-trunc", "--filter", "label=io.airlock.owner=launcher")).ShouldSucceed().Stdout)
            .Distinct()
            .ToList();
        var found = new List<(string, string)>();
        foreach (var id in ids)
        {
            var inspect = await CliAsync(engine, asTestUser, "image", "inspect", "--format", "{{index .Config.Labels \"io.airlock.namespace\"}}", id);
            if (inspect.ExitCode == 0 && inspect.Stdout.Trim() is { } ns && ns.StartsWith(prefix, StringComparison.Ordinal))
            {
                found.Add((id, ns));
            }
        }

        return found;
    }

    public static async Task<bool> ImageExistsAsync(string engine, string image, bool asTestUser = false) =>
        (await CliAsync(engine, asTestUser, "image", "inspect", image)).ExitCode == 0;

    /// <summary>The image's id, or null when there is none.</summary>
    public static async Task<string?> ImageIdAsync(string engine, string image, bool asTestUser = false)
    {
        var result = await CliAsync(engine, asTestUser, "image", "inspect", "--format", "{{.Id}}", image);
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }

    public static async Task RemoveContainersAsync(string engine, bool asTestUser, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            await CliAsync(engine, asTestUser, "rm", "-f", name);
        }
    }

    /// <summary>Removes the tag (and the image if nothing else uses it); a missing image is fine.</summary>
    public static async Task RemoveImageAsync(string engine, string image, bool asTestUser = false)
    {
        if (await ImageExistsAsync(engine, image, asTestUser))
        {
            await CliAsync(engine, asTestUser, "rmi", "-f", image);
        }
    }

    public static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
