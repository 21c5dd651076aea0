using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Bench.Infrastructure;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// api-exec: <c>echo hi</c> in a running sandbox through <c>POST /v1/sandboxes/{id}/exec</c> of a real
/// <c>airlock serve</c> (one HTTP connection kept, as an SDK keeps it), against <c>podman exec</c> and <c>docker exec</c>
/// of the same container from their CLIs, interleaved in the same run, one server per engine. The streamed form
/// (<c>.../exec/stream</c>) is timed alongside, to the last line of its answer, against the buffered one.
/// </summary>
internal sealed class ApiExecBenchmark : IBenchmark
{
    private const string Image = "localhost/airlock-base:bookworm";
    private static readonly string[] Known = ["--iterations", "--warmup"];
    private static readonly object EchoHi = new { command = new[] { "echo", "hi" } };

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
            using var client = server.Client(await server.NewTenantAsync("airlock-bench-exec", 2, "operator", ct));
            var created = JsonNode.Parse(await ServeProcess.ExpectAsync(await client.PostAsJsonAsync("/v1/sandboxes", new
            {
                name = "exec-bench",
                image = Image,
                command = new[] { "sleep", "infinity" },
            }, ct), 201, ct))!;
            var id = created["id"]!.GetValue<string>();
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
                await client.DeleteAsync($"/v1/sandboxes/{id}", CancellationToken.None);
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

    private static async Task ExecAsync(HttpClient client, string id, CancellationToken ct)
    {
        var answer = JsonNode.Parse(await ServeProcess.ExpectAsync(await client.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", EchoHi, ct), 200, ct))!;
        if (answer["stdout"]?.GetValue<string>() != "hi\n")
        {
            throw new InvalidOperationException($"exec answered {answer.ToJsonString()}");
        }
    }

    /// <summary>The streamed form, read line by line to its last line (the exit code), as a client would.</summary>
    private static async Task StreamAsync(HttpClient client, string id, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sandboxes/{id}/exec/stream") { Content = JsonContent.Create(EchoHi) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? last = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            last = line;
        }

        if (last is null || !last.Contains("\"exit\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the stream ended without its exit line: {last}");
        }
    }
}
