using System.Diagnostics;
using System.Globalization;
using Airlock.Bench.Infrastructure;
using Airlock.Client;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// api-exec: <c>echo hi</c> in a running sandbox through <c>POST /v1/sandboxes/{id}/exec</c> of a real
/// <c>airlock serve</c> with the .NET client (Airlock.Client, its connection kept), against <c>podman exec</c> and <c>docker exec</c>
/// of the same container from their CLIs, interleaved in the same run, one server per engine. The streamed form
/// (<c>.../exec/stream</c>) is timed alongside, to the last line of its answer, against the buffered one.
/// </summary>
internal sealed class ApiExecBenchmark : IBenchmark
{
    private const string Image = "localhost/airlock-base:bookworm";
    private static readonly string[] Known = ["--iterations", "--warmup"];
    private static readonly ExecBody EchoHi = new(["echo", "hi"], null, null, null, null);

    public string Name => "api-exec";

    public string Summary => "`echo hi` in a running sandbox: POST .../exec (and .../exec/stream) on `airlock serve` vs `podman exec` and `docker exec`";

    public async Task<int> RunAsync(BenchContext context)
    {
        var (output, ct) = (context.Out, context.Cancellation);
        if (!BenchArgs.TryParse(context.Args, Known, [], out var args, out var error))
        {
            context.Error.WriteLine($"{Name}: {error}");
            return 2;
        }

        int iterations, warmup;
        try
        {
            iterations = args.GetInt("--iterations", 60, 1);
            warmup = args.GetInt("--warmup", 40, 0);
        }
        catch (ArgumentException ex)
        {
            context.Error.WriteLine($"{Name}: {ex.Message}");
            return 2;
        }

        if (AirlockBinary.Find() is not { } airlock)
        {
            context.Error.WriteLine($"{Name}: {AirlockBinary.Missing}");
            return 2;
        }

        output.WriteLine($"{Name}: `echo hi` in a running sandbox, through the API (one kept connection) and through each engine's CLI");
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage.Now()}");
        output.WriteLine($"warm-up: {warmup} of each; measured: {iterations} of each, interleaved");
        var figures = new Dictionary<string, (double Ratio, Samples Api, Samples Stream)>(StringComparer.Ordinal);
        foreach (var (engine, endpoint) in new[] { ("podman", "unix:///run/podman/podman.sock"), ("docker", "unix:///var/run/docker.sock") })
        {
            if (CliProcess.Resolve(engine) is not { } cli)
            {
                context.Error.WriteLine($"{Name}: `{engine}` is not on PATH");
                return 2;
            }

            await using var server = await ServeProcess.StartAsync(airlock, endpoint, ct);
            using var client = new AirlockClient(new AirlockClientOptions(server.Address, await server.NewTenantAsync("airlock-bench-exec", 2, "operator", ct)));
            var created = await client.Sandboxes.CreateAsync(new CreateSandboxBody("exec-bench", Image, ["sleep", "infinity"], null, null, null, null, null, null), ct);
            var id = created.Id;
            var container = "airlock-" + id;
            try
            {
                var api = new Samples($"{engine} api");
                var stream = new Samples($"{engine} api stream");
                var raw = new Samples($"{engine} exec");
                for (var round = -warmup; round < iterations; round++)
                {
                    var a = await TimeAsync(() => ExecAsync(client, id, ct));
                    var s = await TimeAsync(() => StreamAsync(client, id, ct));
                    var run = await CliProcess.RunAsync(cli, ["exec", container, "echo", "hi"], ct);
                    if (run.ExitCode != 0 || run.Stdout != "hi")
                    {
                        context.Error.WriteLine($"{Name}: {engine} exec failed ({run.ExitCode}): stdout [{run.Stdout}] stderr [{run.Stderr}]");
                        return 1;
                    }

                    if (round >= 0)
                    {
                        api.Add(a);
                        stream.Add(s);
                        raw.Add(run.Elapsed);
                    }
                }

                var ratio = Samples.PairedRatio(api, raw);
                figures[engine] = (ratio, api, stream);
                output.WriteLine($"{engine}: api p50 {Samples.Ms(api.Median)} ms (p90 {Samples.Ms(api.Percentile(90))}), stream p50 {Samples.Ms(stream.Median)} ms, "
                    + $"`{engine} exec` p50 {Samples.Ms(raw.Median)} ms (p90 {Samples.Ms(raw.Percentile(90))}); paired ratio api/{engine} {F(ratio)}");
            }
            finally
            {
                await client.Sandboxes.DeleteAsync(id, CancellationToken.None);
            }
        }

        var podman = figures["podman"];
        var docker = figures["docker"];
        output.WriteLine($"api-exec-stream: podman ratio={F(Samples.PairedRatio(podman.Stream, podman.Api))} docker ratio={F(Samples.PairedRatio(docker.Stream, docker.Api))} (goal <= 1.10)");
        output.WriteLine($"api-exec: podman ratio={F(podman.Ratio)} docker ratio={F(docker.Ratio)} p50_ms={Samples.Ms(podman.Api.Median)}");
        return 0;
    }

    private static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static async Task<TimeSpan> TimeAsync(Func<Task> run)
    {
        var started = Stopwatch.GetTimestamp();
        await run();
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task ExecAsync(AirlockClient client, string id, CancellationToken ct)
    {
        var answer = await client.Sandboxes.ExecAsync(id, EchoHi, ct);
        if (answer.Stdout != "hi\n" || answer.ExitCode != 0)
        {
            throw new InvalidOperationException($"exec answered {answer}");
        }
    }

    /// <summary>The streamed form, read event by event to its last (the exit code), as a client would.</summary>
    private static async Task StreamAsync(AirlockClient client, string id, CancellationToken ct)
    {
        var stdout = "";
        int? exit = null;
        await foreach (var e in client.Sandboxes.ExecStreamAsync(id, EchoHi, ct))
        {
            stdout += e.Type == "stdout" ? e.Data : "";
            exit = e.Type == "exit" ? e.ExitCode : exit;
        }

        if (stdout != "hi\n" || exit != 0)
        {
            throw new InvalidOperationException($"the stream answered [{stdout}] and exit {exit}");
        }
    }
}
