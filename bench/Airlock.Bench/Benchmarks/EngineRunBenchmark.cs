using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Airlock.Bench.Infrastructure;
using Airlock.Engine.Identity;
using Airlock.Engine.Transport;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// engine-run: a fresh container running <c>true</c>, created, started, waited for and removed through Airlock.Engine,
/// against the engine's own <c>run --rm</c>. API and CLI runs alternate so drift on the machine hits both alike.
/// </summary>
internal sealed class EngineRunBenchmark : IBenchmark
{
    private const string DefaultImage = "localhost/airlock-base:bookworm";
    private static readonly string[] Known = ["--iterations", "--warmup", "--pause", "--engines"];

    /// <summary><c>--steps</c> adds a third variant per engine: the plain create/start/wait/remove calls.</summary>
    private static readonly string[] Flags = ["--steps"];

    public string Name => "engine-run";

    public string Summary => "fresh container running `true` (create, start, wait, remove): Airlock.Engine vs `podman run --rm` / `docker run --rm`";

    public async Task<int> RunAsync(BenchContext context)
    {
        var (output, ct) = (context.Out, context.Cancellation);
        if (!BenchArgs.TryParse(context.Args, Known, Flags, out var args, out var error))
        {
            context.Error.WriteLine($"{Name}: {error}");
            return 2;
        }

        int iterations, warmup, pauseMs;
        try
        {
            iterations = args.GetInt("--iterations", 30, 1);
            warmup = args.GetInt("--warmup", 3, 0);
            pauseMs = args.GetInt("--pause", 100, 0);
        }
        catch (ArgumentException ex)
        {
            context.Error.WriteLine($"{Name}: {ex.Message}");
            return 2;
        }

        var engines = (args.Get("--engines") ?? "podman,docker").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (engines.Length == 0 || engines.Any(e => e is not ("podman" or "docker")))
        {
            context.Error.WriteLine($"{Name}: --engines takes podman, docker or podman,docker");
            return 2;
        }

        var image = Env("AIRLOCK_BENCH_IMAGE") ?? DefaultImage;
        var targets = engines.Distinct().Select(e => e == "podman"
            ? new EngineTarget("podman", EngineKind.Podman, EngineEndpoint.Parse(Env("AIRLOCK_BENCH_PODMAN") ?? "unix:///run/podman/podman.sock"), Env("AIRLOCK_BENCH_PODMAN_CLI") ?? "podman")
            : new EngineTarget("docker", EngineKind.Docker, EngineEndpoint.Parse(Env("AIRLOCK_BENCH_DOCKER") ?? "unix:///var/run/docker.sock"), Env("AIRLOCK_BENCH_DOCKER_CLI") ?? "docker"))
            .ToList();

        var failed = false;
        var ready = new List<EngineTarget>();
        try
        {
            output.WriteLine($"{Name}: a fresh container running `true`: create, start, wait for the exit code, remove");
            output.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage()}");
            output.WriteLine($"image: {image}   warm-up: {warmup} per variant   measured: {iterations} per variant, interleaved   pause between runs: {pauseMs} ms");
            if (iterations < 20)
            {
                output.WriteLine($"note: {iterations} iterations is a smoke run; use 20 or more for figures");
            }

            foreach (var t in targets)
            {
                var problem = await t.PrepareAsync(image, ct);
                if (problem is not null)
                {
                    context.Error.WriteLine($"{Name}: {t.Name} skipped: {problem}");
                    failed = true;
                    continue;
                }

                var id = t.Client!.Identity;
                output.WriteLine($"{t.Name}: API {t.Endpoint} ({id.Kind} {id.Version}, API {id.NegotiatedApiVersion})");
                output.WriteLine($"{t.Name}: CLI {t.CliCommandLine(image)}   [{t.CliVersion}]");
                var stale = await BenchLabel.SweepAsync(t.Client, ct);
                if (stale > 0)
                {
                    output.WriteLine($"{t.Name}: removed {stale} container(s) an earlier run left behind");
                }

                // The API path must report real exit codes, not a constant 0.
                var check = await t.RunApiAsync(t.Options(image, "false"), ct);
                if (check.ExitCode != 1)
                {
                    context.Error.WriteLine($"{Name}: {t.Name}: `false` through the API exited {check.ExitCode}, expected 1");
                    failed = true;
                    continue;
                }

                ready.Add(t);
            }

            var modes = args.Has("--steps") ? new[] { Mode.Api, Mode.Steps, Mode.Cli } : [Mode.Api, Mode.Cli];
            var variants = ready.SelectMany(t => modes.Select(m => new Variant(t, m))).ToArray();
            if (variants.Length > 0)
            {
                for (var round = 0; round < warmup + iterations; round++)
                {
                    // Every round runs each variant once, so drift hits all of them alike. Odd rounds run the previous
                    // round's order backwards, and the order rotates every two rounds (API, CLI | CLI, API | CLI, API |
                    // API, CLI ...): no variant always runs first, nor always right after the same other one.
                    for (var k = 0; k < variants.Length; k++)
                    {
                        var position = round % 2 == 0 ? k : variants.Length - 1 - k;
                        await RunOnceAsync(variants[(round / 2 + position) % variants.Length], image, measured: round >= warmup, ct);
                        await Task.Delay(pauseMs, ct);
                    }
                }

                Report(output, ready);
                output.WriteLine($"load average at the end: {LoadAverage()}");
            }
        }
        catch (Exception ex) when (ex is BenchRunException or Airlock.Engine.Errors.EngineException)
        {
            context.Error.WriteLine($"{Name}: {ex.Message}");
            failed = true;
        }
        finally
        {
            foreach (var t in targets)
            {
                await SweepAtExitAsync(t, output, context.Error, interrupted: ct.IsCancellationRequested);
                t.Dispose();
            }
        }

        output.WriteLine($"{Name}: podman ratio={RatioText(ready, "podman")} docker ratio={RatioText(ready, "docker")}");
        return failed ? 1 : 0;
    }

    private static async Task RunOnceAsync(Variant v, string image, bool measured, CancellationToken ct)
    {
        var t = v.Target;
        if (v.Mode == Mode.Api)
        {
            var started = Stopwatch.GetTimestamp();
            var run = await t.RunApiAsync(t.Options(image, "true"), ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (run.ExitCode != 0)
            {
                throw new BenchRunException($"{t.Name} api: `true` exited {run.ExitCode}");
            }

            if (measured)
            {
                t.Api.Add(elapsed);
                t.Create.Add(run.Create);
                t.Start.Add(run.Start);
                t.Wait.Add(run.Wait);
                t.Remove.Add(run.Remove);
            }
        }
        else if (v.Mode == Mode.Steps)
        {
            var started = Stopwatch.GetTimestamp();
            var exitCode = await t.RunStepsAsync(t.Options(image, "true"), ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (exitCode != 0)
            {
                throw new BenchRunException($"{t.Name} steps: `true` exited {exitCode}");
            }

            if (measured)
            {
                t.Steps.Add(elapsed);
            }
        }
        else
        {
            var run = await t.RunCliAsync(image, ct);
            if (run.ExitCode != 0)
            {
                throw new BenchRunException($"{t.Name} cli: exited {run.ExitCode}: {run.Stderr}");
            }

            if (measured)
            {
                t.Cli.Add(run.Elapsed);
            }
        }
    }

    private static void Report(TextWriter output, IReadOnlyList<EngineTarget> targets)
    {
        output.WriteLine();
        output.WriteLine($"{"variant",-12} {"n",4} {"median",9} {"p90",9} {"min",9} {"max",9}   (ms)");
        foreach (var t in targets)
        {
            foreach (var s in new[] { t.Api, t.Steps, t.Cli }.Where(s => s.Count > 0))
            {
                output.WriteLine($"{s.Name,-12} {s.Count,4} {Samples.Ms(s.Median),9} {Samples.Ms(s.Percentile(90)),9} {Samples.Ms(s.Min),9} {Samples.Ms(s.Max),9}");
            }
        }

        output.WriteLine();
        foreach (var t in targets)
        {
            var phases = string.Join("  ", new[] { t.Create, t.Start, t.Wait, t.Remove }.Select(p => $"{p.Name} {Samples.Ms(p.Median)}"));
            output.WriteLine($"{t.Name} api phases (medians, ms): {phases}");
        }

        output.WriteLine();
        foreach (var t in targets)
        {
            output.WriteLine(
                $"{t.Name}: api/cli median ratio {Ratio(t):F2} ({Samples.Ms(t.Api.Median)} / {Samples.Ms(t.Cli.Median)} ms); " +
                $"paired, per round: {Samples.PairedRatio(t.Api, t.Cli):F2}");
            if (t.Steps.Count > 0)
            {
                output.WriteLine($"{t.Name}: steps/cli median ratio {t.Steps.Median / t.Cli.Median:F2} ({Samples.Ms(t.Steps.Median)} / {Samples.Ms(t.Cli.Median)} ms)");
            }
        }
    }

    private static double Ratio(EngineTarget t) => t.Api.Median / t.Cli.Median;

    private static string RatioText(IReadOnlyList<EngineTarget> ready, string name) =>
        ready.FirstOrDefault(t => t.Name == name) is { Api.Count: > 0, Cli.Count: > 0 } t
            ? Ratio(t).ToString("F2", CultureInfo.InvariantCulture)
            : "n/a";

    /// <summary>
    /// Runs on success, failure and Ctrl+C alike; says so if anything labelled was still there. After an interruption a
    /// create the engine had already accepted may land after the first sweep, so there is a second one a moment later.
    /// </summary>
    private static async Task SweepAtExitAsync(EngineTarget t, TextWriter output, TextWriter error, bool interrupted)
    {
        if (t.Client is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var left = await BenchLabel.SweepAsync(t.Client, timeout.Token);
            if (interrupted)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
                left += await BenchLabel.SweepAsync(t.Client, timeout.Token);
            }

            if (left > 0)
            {
                output.WriteLine($"{t.Name}: removed {left} leftover container(s) labelled {BenchLabel.Selector}");
            }
        }
        catch (Exception ex) when (ex is Airlock.Engine.Errors.EngineException or OperationCanceledException or HttpRequestException)
        {
            error.WriteLine($"{t.Name}: could not sweep containers labelled {BenchLabel.Selector}: {ex.Message}");
        }
    }

    /// <summary>Other work on the machine moves these figures; the load average says how much there was.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private enum Mode
    {
        /// <summary><see cref="Airlock.Engine.Containers.ContainersClient.RunToCompletionAsync"/>.</summary>
        Api,

        /// <summary>Create, start, wait, remove as four plain calls.</summary>
        Steps,

        /// <summary>The engine's own <c>run --rm</c>.</summary>
        Cli,
    }

    private sealed record Variant(EngineTarget Target, Mode Mode);
}

/// <summary>A run that went wrong in a way that invalidates the figures (non-zero exit, failed CLI).</summary>
internal sealed class BenchRunException(string message) : Exception(message);
