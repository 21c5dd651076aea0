namespace Airlock.Tests.Support;

/// <summary>
/// What the tests ask of the engines through the engines' own CLIs (not Airlock's engine client), so a bug in Airlock
/// cannot hide itself from the checks. As root, or as the test user (its rootless podman).
/// </summary>
public static partial class Engines
{
    private static string[] CliPrefix(string engine) => engine switch
    {
        Podman => ["podman"],
        Docker => ["docker", "-H", Endpoint(Docker).ToString()],
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "podman or docker"),
    };

    /// <summary>Runs the engine's CLI as root, or as the test user when <paramref name="asTestUser"/> (its rootless podman).</summary>
    public static Task<ProcessResult> CliAsync(string engine, bool asTestUser, params string[] args)
    {
        var prefix = CliPrefix(engine);
        if (!asTestUser)
        {
            return ProcessRunner.RunAsync(prefix[0], [.. prefix[1..], .. args]);
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

    /// <summary>Every tag (REPO:TAG) in the engine.</summary>
    public static async Task<List<string>> ImageTagsAsync(string engine, bool asTestUser = false)
    {
        var result = (await CliAsync(engine, asTestUser, "images", "--format", "{{.Repository}}:{{.Tag}}")).ShouldSucceed();
        return Lines(result.Stdout).Where(t => !t.Contains("<none>", StringComparison.Ordinal)).ToList();
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
