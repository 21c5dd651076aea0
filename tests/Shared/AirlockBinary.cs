namespace Airlock.Tests.Shared;

/// <summary>
/// The real, built <c>airlock</c> executable: src/Airlock.Cli's build output in the tests' own configuration. One file,
/// compiled into every test project that runs the binary.
/// </summary>
public static partial class AirlockBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>Absolute path of the apphost <c>airlock</c>.</summary>
    public static string Path => Located.Value;

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Airlock.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Airlock.slnx above {AppContext.BaseDirectory}");
    }

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
