using System.Globalization;
using Airlock.Bench.Infrastructure;

namespace Airlock.Bench.Benchmarks;

/// <summary>cli-start: the CLI's cold start, <c>airlock --version</c> against <c>podman --version</c>.</summary>
internal sealed class CliStartBenchmark : IBenchmark
{
    public string Name => "cli-start";

    public string Summary => "`airlock --version` vs `podman --version`: the cold start every launch pays";

    public async Task<int> RunAsync(BenchContext context)
    {
        var airlock = AirlockBinary.Find();
        var podman = CliProcess.Resolve("podman");
        if (airlock is null || podman is null)
        {
            context.Error.WriteLine($"{Name}: {(airlock is null ? AirlockBinary.Missing : "podman is not installed")}");
            return 2;
        }

        var iterations = context.Args.Count > 0 && int.TryParse(context.Args[0], CultureInfo.InvariantCulture, out var n) ? n : 40;
        var comparison = new CommandComparison("airlock --version", [airlock, "--version"], "podman --version", [podman, "--version"]);
        context.Out.WriteLine($"{Name}: {airlock} vs {podman}, 5 warm-up + {iterations} measured runs each, alternating");
        await comparison.RunAsync(5, iterations, context.Cancellation);
        comparison.Report(context.Out);
        context.Out.WriteLine($"{Name}: ratio={comparison.Ratio.ToString("F2", CultureInfo.InvariantCulture)}");
        return 0;
    }
}
