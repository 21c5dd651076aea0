using Airlock.Bench.Benchmarks;

namespace Airlock.Bench;

/// <summary>Every benchmark <c>bench/run</c> knows, by name.</summary>
internal static class BenchmarkRegistry
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new EngineRunBenchmark(),
        new LauncherRunBenchmark(),
        new CliStartBenchmark(),
        new ApiCreateBenchmark(),
        new ApiListBenchmark(),
        new ApiExecBenchmark(),
        new EgressBenchmark(),
    ];

    public static IBenchmark? Find(string name) => All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));
}
