namespace Airlock.Tests.Support;

/// <summary>
/// The environment a test process runs in, so that no test (in-process code that defaults to ~/.airlock included) and
/// no program a test starts reads or writes a real user's state: a throwaway HOME holding a used-looking ~/.airlock
/// (<see cref="PlantedAirlockHome"/>), XDG dirs of its own, and an AIRLOCK_HOME nobody can create (<see cref="UnsetAirlockHome"/>),
/// so a test that runs airlock without an AIRLOCK_HOME of its own fails loudly on the first write. The runner's engine
/// and server settings are dropped. Before any of that it records every user's real ~/.airlock (root's, the invoking
/// user's, the test user's and the HOME it was started with) to prove at the end that the run left them byte for byte
/// as they were.
/// </summary>
public sealed class HermeticEnvironment : IDisposable
{
    public const string AirlockHomeVariable = "AIRLOCK_HOME";

    /// <summary>Variables of the runner's own that would point airlock somewhere else (AIRLOCK_TEST_* are the tests' settings and stay).</summary>
    private static readonly string[] RunnerSettings = ["DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST", "CONTAINER_CONNECTION"];

    private readonly AirlockHomeSnapshot _before;

    private HermeticEnvironment(string root, IReadOnlyList<string> guarded, string home, string unsetAirlockHome)
    {
        Root = root;
        Guarded = guarded;
        Home = home;
        UnsetAirlockHome = unsetAirlockHome;
        _before = AirlockHomeSnapshot.Take(guarded);
    }

    /// <summary>The run's own directory (0700): the throwaway HOME, XDG dirs, runtime dir.</summary>
    public string Root { get; }

    /// <summary>The HOME every test and every program it starts sees, unless the test gives another.</summary>
    public string Home { get; }

    /// <summary>The AIRLOCK_HOME a test gets when it names none: below a regular file, so no one can create it.</summary>
    public string UnsetAirlockHome { get; }

    /// <summary>The state directories the run must leave untouched: every real user's ~/.airlock and the planted one.</summary>
    public IReadOnlyList<string> Guarded { get; }

    /// <summary>Sets this process up; call once, before any test runs (<see cref="HermeticTestRun"/> does).</summary>
    public static HermeticEnvironment Apply()
    {
        // Which homes are real is read before HOME changes.
        var realHomes = RealHomes().Select(h => Path.Combine(h, ".airlock")).ToList();
        var root = Directory.CreateTempSubdirectory("airlock-test-run-").FullName;
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        var planted = PlantedAirlockHome.Plant(home);
        // Created 0700 (what CreateDirectory gives with a mode), as a runtime dir must be.
        var runtime = OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(Path.Combine(root, "runtime"))
            : Directory.CreateDirectory(Path.Combine(root, "runtime"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var tripwire = Path.Combine(root, "AIRLOCK_HOME-not-set-by-the-test");
        File.WriteAllText(tripwire, "A test ran airlock without an AIRLOCK_HOME of its own; give it one (Workspace, AirlockBinary.RunAsync do).\n");

        var environment = new HermeticEnvironment(root, [.. realHomes, planted], home, Path.Combine(tripwire, ".airlock"));
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if ((name.StartsWith("AIRLOCK_", StringComparison.Ordinal) && !name.StartsWith("AIRLOCK_TEST_", StringComparison.Ordinal))
                || RunnerSettings.Contains(name))
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        Environment.SetEnvironmentVariable("HOME", home);
        Environment.SetEnvironmentVariable(AirlockHomeVariable, environment.UnsetAirlockHome);
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", Path.Combine(home, ".config"));
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(home, ".local", "share"));
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", Path.Combine(home, ".local", "state"));
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Path.Combine(home, ".cache"));
        Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", runtime.FullName);
        return environment;
    }

    /// <summary>What the run changed in the guarded directories so far, one line per path (empty: nothing).</summary>
    public IReadOnlyList<string> UserStateChanges() => _before.DifferencesFrom(AirlockHomeSnapshot.Take(Guarded));

    public static string Describe(IReadOnlyList<string> changes) =>
        $"the tests changed a user's Airlock state: a test, or the code it ran, wrote outside an AIRLOCK_HOME of its own "
        + $"({changes.Count} change(s)):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", changes);

    /// <summary>
    /// The homes of root, of the user running the tests, of the user who ran sudo, of the test user, and the HOME this
    /// process started with (scripts may point it at a throwaway one).
    /// </summary>
    private static IEnumerable<string> RealHomes()
    {
        var users = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).Where(f => f.Length >= 7).ToList();
        var uid = Environment.GetEnvironmentVariable("SUDO_UID");
        var homes = users
            .Where(f => f[2] == "0" || f[0] == Environment.UserName || f[0] == TestUser.Name || (uid is not null && f[2] == uid))
            .Select(f => f[5])
            .ToList();
        if (Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } started)
        {
            homes.Add(started);
        }

        return homes.Where(h => h.Length > 1).Select(h => Path.TrimEndingDirectorySeparator(h)).Distinct(StringComparer.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS temp clean-up.
        }
    }
}
