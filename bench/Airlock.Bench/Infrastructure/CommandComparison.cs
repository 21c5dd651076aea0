using System.Globalization;

namespace Airlock.Bench.Infrastructure;

/// <summary>
/// Times two command lines against each other: warm-up runs, then measured runs alternating between them so drift on
/// the machine hits both alike. Every run must exit 0, or the comparison stops: a failing command is not a fast one.
/// <paramref name="settleOurs"/>, when given, waits after each of our runs (untimed for the ratio) until the work our
/// command left to run on after it exited is over, so it cannot slow the next run; that time is reported on its own.
/// </summary>
internal sealed class CommandComparison(
    string oursName,
    string[] ours,
    string theirsName,
    string[] theirs,
    IReadOnlyDictionary<string, string>? environment = null,
    Func<CancellationToken, Task>? settleOurs = null)
{
    public Samples Ours { get; } = new(oursName);

    /// <summary>Our runs from start until settled (only with a settle step).</summary>
    public Samples OursSettled { get; } = new(oursName + " (until settled)");

    public Samples Theirs { get; } = new(theirsName);

    public async Task RunAsync(int warmup, int iterations, CancellationToken ct)
    {
        for (var round = 0; round < warmup + iterations; round++)
        {
            var pair = round % 2 == 0 ? new[] { (ours, Ours), (theirs, Theirs) } : [(theirs, Theirs), (ours, Ours)];
            foreach (var (command, samples) in pair)
            {
                var run = await CliProcess.RunAsync(command[0], command[1..], ct, environment);
                if (run.ExitCode != 0)
                {
                    throw new InvalidOperationException($"`{string.Join(' ', command)}` exited {run.ExitCode}: {run.Stderr}");
                }

                var settled = TimeSpan.Zero;
                if (settleOurs is not null && ReferenceEquals(samples, Ours))
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    await settleOurs(ct);
                    settled = clock.Elapsed;
                }

                if (round >= warmup)
                {
                    samples.Add(run.Elapsed);
                    if (settleOurs is not null && ReferenceEquals(samples, Ours))
                    {
                        OursSettled.Add(run.Elapsed + settled);
                    }
                }
            }
        }
    }

    public double Ratio => Ours.Median / Theirs.Median;

    public void Report(TextWriter output)
    {
        output.WriteLine($"{"variant",-40} {"n",4} {"median",9} {"p90",9} {"min",9}   (ms)");
        foreach (var s in settleOurs is null ? new[] { Ours, Theirs } : [Ours, OursSettled, Theirs])
        {
            output.WriteLine($"{s.Name,-40} {s.Count,4} {Samples.Ms(s.Median),9} {Samples.Ms(s.Percentile(90)),9} {Samples.Ms(s.Min),9}");
        }

        output.WriteLine($"ratio (median {Ours.Name} / median {Theirs.Name}): {Ratio.ToString("F2", CultureInfo.InvariantCulture)}");
    }
}
