namespace Airlock.Bench;

/// <summary>One named benchmark. Add one by writing a class and listing it in <see cref="BenchmarkRegistry"/>.</summary>
internal interface IBenchmark
{
    /// <summary>What <c>bench/run NAME</c> calls it.</summary>
    string Name { get; }

    /// <summary>One line for the list <c>bench/run</c> prints.</summary>
    string Summary { get; }

    /// <summary>Runs the benchmark and returns the process exit code (0 when it ran to the end).</summary>
    Task<int> RunAsync(BenchContext context);
}

/// <summary>What a benchmark gets: its arguments, where to write, and a token that fires on Ctrl+C or SIGTERM.</summary>
internal sealed record BenchContext(IReadOnlyList<string> Args, TextWriter Out, TextWriter Error, CancellationToken Cancellation);
