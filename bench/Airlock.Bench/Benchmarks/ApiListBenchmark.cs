using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Airlock.Bench.Infrastructure;
using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// api-list: authenticated <c>GET /v1/sandboxes</c> under load from wrk (a second process) against a real
/// <c>airlock serve</c> process, for a tenant with ~20 sandboxes. Reports requests per second and latency percentiles.
/// </summary>
internal sealed class ApiListBenchmark : IBenchmark
{
    private const string DefaultImage = "localhost/airlock-base:bookworm";
    private const string Tenant = "airlock-bench";
    private static readonly string[] Known = ["--threads", "--connections", "--duration", "--runs", "--sandboxes", "--credential", "--engine", "--warmup"];

    public string Name => "api-list";

    public string Summary => "GET /v1/sandboxes under wrk load (2 threads, 50 connections) on `airlock serve`: requests/s and p99";

    public async Task<int> RunAsync(BenchContext context)
    {
        var (output, ct) = (context.Out, context.Cancellation);
        if (!BenchArgs.TryParse(context.Args, Known, [], out var args, out var error))
        {
            context.Error.WriteLine($"{Name}: {error}");
            return 2;
        }

        int threads, connections, duration, runs, sandboxes, warmup;
        try
        {
            threads = args.GetInt("--threads", 2, 1);
            connections = args.GetInt("--connections", 50, 1);
            duration = args.GetInt("--duration", 10, 1);
            runs = args.GetInt("--runs", 3, 1);
            sandboxes = args.GetInt("--sandboxes", 20, 1);

            // Long enough for the JIT to finish moving the hot path to optimised code on a busy 2-core machine
            // (profiled: with 3 s, a fifth of the server's CPU in the first measured run was still the JIT).
            warmup = args.GetInt("--warmup", 15, 0);
        }
        catch (ArgumentException ex)
        {
            context.Error.WriteLine($"{Name}: {ex.Message}");
            return 2;
        }

        var credential = args.Get("--credential") ?? "key";
        var engineName = args.Get("--engine") ?? "podman";
        if (credential is not ("key" or "token") || engineName is not ("podman" or "docker") || sandboxes > 50)
        {
            context.Error.WriteLine($"{Name}: --credential takes key or token, --engine podman or docker, --sandboxes at most 50");
            return 2;
        }

        var airlock = AirlockBinary.Find();
        var wrk = CliProcess.Resolve("wrk");
        if (airlock is null || wrk is null)
        {
            context.Error.WriteLine($"{Name}: {(airlock is null ? AirlockBinary.Missing : "wrk is not installed: run sudo scripts/setup-bench.sh (installs Debian's wrk)")}");
            return 2;
        }

        var image = Environment.GetEnvironmentVariable("AIRLOCK_BENCH_IMAGE") is { Length: > 0 } i ? i : DefaultImage;
        var endpoint = EngineEndpoint.Parse(engineName == "podman" ? "unix:///run/podman/podman.sock" : "unix:///var/run/docker.sock");
        using var engine = await EngineClient.ConnectAsync(endpoint, ct: ct);

        output.WriteLine($"{Name}: GET /v1/sandboxes ({sandboxes} sandboxes in the tenant, one page), authenticated with an API {(credential == "key" ? "key" : "token (JWT)")}");
        output.WriteLine($"machine: {Environment.ProcessorCount} cores (shared by wrk and the server), .NET {Environment.Version}, load average {LoadAverage.Now()}");
        output.WriteLine($"load: {wrk} -t{threads} -c{connections} -d{duration}s --latency; 1 warm-up run of {warmup} s, then {runs} measured");

        var results = new List<WrkResult>();
        var failed = false;
        try
        {
            await BenchLabel.SweepAsync(engine, $"io.airlock.tenant={Tenant}", ct);
            await using var server = await ServeProcess.StartAsync(airlock, endpoint.ToString(), ct);
            output.WriteLine($"server: {airlock} serve on {server.Address} (pid {server.ProcessId}), SQLite in a temp dir, engine {endpoint}");
            var key = await server.NewTenantAsync(Tenant, 50, "operator", ct);
            using var client = server.Client(key);
            await CreateSandboxesAsync(client, image, sandboxes, ct);
            var bearer = credential == "key" ? key : await TokenAsync(client, ct);

            // The page wrk reads must be the whole tenant's list, or the figure is of something smaller.
            using var check = server.Client(bearer);
            var page = JsonNode.Parse(await ServeProcess.ExpectAsync(await check.GetAsync("/v1/sandboxes", ct), 200, ct))!;
            if (page["items"]!.AsArray().Count != sandboxes)
            {
                throw new BenchRunException($"the list has {page["items"]!.AsArray().Count} sandboxes, expected {sandboxes}");
            }

            var url = new Uri(server.Address, "/v1/sandboxes").ToString();
            string[] Wrk(int seconds) => ["-t" + threads, "-c" + connections, $"-d{seconds}s", "--latency", "-H", $"Authorization: Bearer {bearer}", url];
            if (warmup > 0)
            {
                await RunWrkAsync(wrk, Wrk(warmup), ct);
            }

            for (var r = 0; r < runs; r++)
            {
                var cpuBefore = server.CpuTime();
                var result = await RunWrkAsync(wrk, Wrk(duration), ct);
                var cpuPerRequest = (server.CpuTime() - cpuBefore).TotalMicroseconds / result.Requests;
                results.Add(result);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {r + 1}: {result.RequestsPerSecond:F0} requests/s ({result.Requests} in {duration} s), latency p50 {result.P50Ms:F2} ms, p90 {result.P90Ms:F2} ms, p99 {result.P99Ms:F2} ms; server CPU {cpuPerRequest:F0} us/request; load average {LoadAverage.Now()}"));
            }

            await DeleteSandboxesAsync(client, ct);
        }
        catch (BenchRunException ex)
        {
            context.Error.WriteLine($"{Name}: {ex.Message}");
            failed = true;
        }
        finally
        {
            var left = await BenchLabel.SweepAsync(engine, $"io.airlock.tenant={Tenant}", CancellationToken.None);
            if (left > 0)
            {
                output.WriteLine($"removed {left} container(s) left behind");
            }
        }

        if (results.Count == 0)
        {
            output.WriteLine($"{Name}: rps=n/a p99_ms=n/a");
            return 1;
        }

        var rps = Median(results.Select(r => r.RequestsPerSecond));
        var p99 = Median(results.Select(r => r.P99Ms));
        output.WriteLine($"load average at the end: {LoadAverage.Now()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name}: rps={rps:F0} p99_ms={p99:F2}"));
        return failed ? 1 : 0;
    }

    private static async Task<WrkResult> RunWrkAsync(string wrk, string[] arguments, CancellationToken ct)
    {
        var run = await CliProcess.RunAsync(wrk, arguments, ct);
        if (run.ExitCode != 0)
        {
            throw new BenchRunException($"wrk exited {run.ExitCode}: {run.Stderr}");
        }

        var result = WrkResult.Parse(run.Stdout);
        if (result.NonSuccess > 0 || result.SocketErrors > 0)
        {
            // A fast error is not a fast list: any 4xx/5xx (a rate limit, say) or dropped connection voids the run.
            throw new BenchRunException($"{result.NonSuccess} answers were not 2xx and {result.SocketErrors} socket errors:\n{run.Stdout}");
        }

        return result;
    }

    private static async Task CreateSandboxesAsync(HttpClient client, string image, int count, CancellationToken ct)
    {
        var body = new
        {
            sandboxes = Enumerable.Range(0, count).Select(n => new
            {
                name = $"list-{n:D2}",
                image,
                command = new[] { "sleep", "infinity" },
                labels = new Dictionary<string, string> { ["team"] = n % 2 == 0 ? "red" : "blue", ["bench"] = "api-list" },
                limits = new { cpus = 0.1, memoryBytes = 32L << 20 },
            }).ToArray(),
        };
        var result = JsonNode.Parse(await ServeProcess.ExpectAsync(await client.PostAsJsonAsync("/v1/sandboxes/bulk-create", body, ct), 200, ct))!;
        if (result["failed"]!.GetValue<int>() != 0)
        {
            throw new BenchRunException($"creating the sandboxes failed: {result.ToJsonString()}");
        }
    }

    private static async Task DeleteSandboxesAsync(HttpClient client, CancellationToken ct)
    {
        var page = JsonNode.Parse(await ServeProcess.ExpectAsync(await client.GetAsync("/v1/sandboxes?limit=200", ct), 200, ct))!;
        var ids = page["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToArray();
        if (ids.Length > 0)
        {
            await ServeProcess.ExpectAsync(await client.PostAsJsonAsync("/v1/sandboxes/bulk-delete", new { ids }, ct), 200, ct);
        }
    }

    private static async Task<string> TokenAsync(HttpClient client, CancellationToken ct)
    {
        var token = JsonNode.Parse(await ServeProcess.ExpectAsync(await client.PostAsJsonAsync("/v1/tokens", new { ttlSeconds = 3600 }, ct), 201, ct))!;
        return token["token"]!.GetValue<string>();
    }

    private static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
