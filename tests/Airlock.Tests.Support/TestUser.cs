namespace Airlock.Tests.Support;

/// <summary>
/// The unprivileged user scripts/setup-test-user.sh makes, so airlock can be run as a non-root user: in the docker group,
/// with rootless podman set up and the base image in its own storage.
/// </summary>
public static class TestUser
{
    public const string Name = "airlock-tester";
    public const int Uid = 1500;
    public const string Home = "/home/airlock-tester";
    public const string RuntimeDir = "/run/user/1500";

    public static bool Exists => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(Name + ":", StringComparison.Ordinal));

    private static readonly Lazy<bool> CanRunAirlock = new(() =>
    {
        var (file, args) = Wrap("test", ["-x", AirlockBinary.Path], new Dictionary<string, string?>());
        return ProcessRunner.Run(file, args).ExitCode == 0;
    });

    /// <summary>Fails with how to fix it when the set-up script has not run, or the user cannot reach the built binary.</summary>
    public static void EnsureExists()
    {
        if (!Exists)
        {
            throw new InvalidOperationException($"user {Name} is missing: run 'sudo bash scripts/setup-test-user.sh' (scripts/test.sh does)");
        }

        if (!CanRunAirlock.Value)
        {
            throw new InvalidOperationException(
                $"user {Name} cannot execute {AirlockBinary.Path}: every directory above the checkout must be world-searchable (chmod o+x)");
        }
    }

    /// <summary>
    /// <c>runuser -u airlock-tester -- env -i VARS... FILE ARGS</c>: the program runs as the user with exactly the given
    /// environment, plus PATH, the user's real HOME and runtime dir (its rootless podman lives there) and an AIRLOCK_HOME
    /// nobody can create (see <see cref="HermeticTestRun.UnsetAirlockHome"/>), unless given: an airlock that a test runs
    /// as this user without an AIRLOCK_HOME of the test's own fails instead of touching the user's ~/.airlock.
    /// </summary>
    public static (string File, List<string> Args) Wrap(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?> env)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = Home,
            ["XDG_RUNTIME_DIR"] = RuntimeDir,
            ["USER"] = Name,
            ["LOGNAME"] = Name,
            [HermeticTestRun.AirlockHomeVariable] = HermeticTestRun.UnsetAirlockHome,
        };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
        {
            vars["DOTNET_ROOT"] = dotnetRoot;
        }

        foreach (var (k, v) in env)
        {
            if (v is null)
            {
                vars.Remove(k);
            }
            else
            {
                vars[k] = v;
            }
        }

        return ("runuser", ["-u", Name, "--", "env", "-i", .. vars.Select(kv => $"{kv.Key}={kv.Value}"), file, .. args]);
    }
}
