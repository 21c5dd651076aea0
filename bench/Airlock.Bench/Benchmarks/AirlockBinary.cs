using Airlock.Bench.Infrastructure;

namespace Airlock.Bench.Benchmarks;

/// <summary>The airlock users run: the published ReadyToRun build (scripts/install-airlock.sh), or AIRLOCK_BENCH_CLI.</summary>
internal static class AirlockBinary
{
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("AIRLOCK_BENCH_CLI") is { Length: > 0 } given)
        {
            return CliProcess.Resolve(given);
        }

        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Airlock.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        var published = dir is null ? null : Path.Combine(dir, "artifacts", "airlock", "airlock");
        return published is not null && File.Exists(published) ? published : null;
    }

    public const string Missing = "no published airlock: run scripts/install-airlock.sh (or set AIRLOCK_BENCH_CLI to a binary)";
}
