using System.Diagnostics;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>airlock</c> binary for the server tests: a private AIRLOCK_HOME, plain output, and none of the runner's
/// server settings (database, server address, token), on the one process runner.
/// </summary>
public static class AirlockProcess
{
    private static Dictionary<string, string?> Environment(string home) => new(StringComparer.Ordinal)
    {
        [HermeticTestRun.AirlockHomeVariable] = home,
        ["NO_COLOR"] = "1",
        ["AIRLOCK_DATABASE"] = null,
        ["AIRLOCK_ENGINE"] = null,
        ["AIRLOCK_SERVER"] = null,
        ["AIRLOCK_TOKEN"] = null,
    };

    /// <summary>A start for a background airlock (serve) with that environment.</summary>
    public static ProcessStartInfo StartInfo(string home, params string[] args) => StartInfo(home, new Dictionary<string, string?>(), args);

    /// <summary>As the other, with <paramref name="environment"/> on top (a null value removes the variable).</summary>
    public static ProcessStartInfo StartInfo(string home, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var env = Environment(home);
        foreach (var (name, value) in environment)
        {
            env[name] = value;
        }

        return ProcessRunner.StartInfo(AirlockBinary.Path, args, env);
    }

    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string home, params string[] args) =>
        RunAsync(home, new Dictionary<string, string?>(), args);

    /// <summary>Runs airlock with <paramref name="environment"/> on top (a null value removes the variable).</summary>
    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string home, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunAsync(home, environment, null, args);

    /// <summary>As the other, with <paramref name="stdin"/> written to the process's standard input.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string home, IReadOnlyDictionary<string, string?> environment, string? stdin, params string[] args)
    {
        var env = Environment(home);
        foreach (var (name, value) in environment)
        {
            env[name] = value;
        }

        var (code, stdout, stderr) = await AirlockBinary.RunAsync(args, env, stdin, timeout: ProcessRunner.DefaultTimeout);
        return (code, stdout, stderr);
    }
}
