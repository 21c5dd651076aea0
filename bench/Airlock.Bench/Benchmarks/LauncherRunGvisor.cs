using System.Globalization;
using Airlock.Bench.Infrastructure;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// launcher-run's gVisor part (issue 11): <c>airlock NS --isolation gvisor -- true</c> against
/// <c>podman run --rm --runtime airlock-runsc</c> of the same image, in the same run. podman 4.3's CLI takes
/// <c>--runtime</c> (its API ignores the runtime, which is why the launcher goes through a private podman service).
/// </summary>
internal static class LauncherRunGvisor
{
    /// <summary>The runtime name scripts/setup-gvisor.sh registers gVisor under (IsolationRules.GvisorRuntime).</summary>
    private const string Runtime = "airlock-runsc";

    /// <summary>Runs the comparison and prints its table and <c>launcher-run-gvisor: ratio=X</c>.</summary>
    public static async Task RunAsync(
        BenchContext context, string airlock, string podman, string ns, string image, IReadOnlyDictionary<string, string> env,
        Func<CancellationToken, Task> settle, int iterations)
    {
        var comparison = new CommandComparison(
            $"airlock {ns} --isolation gvisor -- true", [airlock, ns, "--isolation", "gvisor", "--", "true"],
            $"podman run --rm --runtime {Runtime}", [podman, "run", "--rm", "--runtime", Runtime, image, "true"],
            env, settle);
        context.Out.WriteLine($"launcher-run-gvisor: 3 warm-up + {iterations} measured runs each, alternating; engine: podman, runtime {Runtime}");
        await comparison.RunAsync(3, iterations, context.Cancellation);
        comparison.Report(context.Out);
        context.Out.WriteLine($"launcher-run-gvisor: ratio={comparison.Ratio.ToString("F2", CultureInfo.InvariantCulture)}");
    }
}
