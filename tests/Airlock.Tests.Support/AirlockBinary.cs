namespace Airlock.Tests.Support;

/// <summary>The real, built <c>airlock</c> executable: src/Airlock.Cli's build output in the tests' own configuration.</summary>
public static class AirlockBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>Absolute path of the apphost <c>airlock</c>.</summary>
    public static string Path => Located.Value;

    public static string RepoRoot => RepositoryRoot.Path;

    /// <summary>
    /// Runs airlock with <paramref name="args"/> and waits (bounded) for it to exit. The environment is this process's
    /// (already hermetic: see <see cref="HermeticTestRun"/>) without NO_COLOR, then <paramref name="env"/> (a null value
    /// removes a variable). Unless <paramref name="env"/> names one, the call gets an empty AIRLOCK_HOME of its own,
    /// deleted afterwards.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? env = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["NO_COLOR"] = null };
        using var ownHome = env?.ContainsKey(HermeticTestRun.AirlockHomeVariable) == true ? null : new TempDirectory("airlock-home-");
        if (ownHome is not null)
        {
            environment[HermeticTestRun.AirlockHomeVariable] = ownHome.Path;
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return await ProcessRunner.RunAsync(Path, args, environment, stdin: stdin, timeout: timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    public static Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, null);

    private static string Locate()
    {
        // The test assembly sits in tests/<project>/bin/<Configuration>/<tfm>/.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent?.Name ?? "Debug";
        var path = System.IO.Path.Combine(RepoRoot, "src", "Airlock.Cli", "bin", configuration, tfmDir.Name, "airlock");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the airlock executable is not built at {path}; run: dotnet build Airlock.slnx -c {configuration}", path);
        }

        return path;
    }
}
