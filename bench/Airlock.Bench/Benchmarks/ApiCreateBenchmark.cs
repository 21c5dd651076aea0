using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Airlock.Bench.Infrastructure;
using Airlock.Engine;
using Airlock.Engine.Containers;
using Airlock.Engine.Transport;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;
using Airlock.Server.Sandboxes;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// api-create: a sandbox from nothing to running through <c>POST /v1/sandboxes</c> of a real <c>airlock serve</c>
/// process, against the engine's own create + start of the same container through Airlock.Engine, interleaved in the
/// same run. Each is deleted between runs, untimed. Where the engine has gVisor's runtime, the same pair runs at the gvisor
/// level too (ApiCreateBenchmark.Gvisor.cs).
/// </summary>
internal sealed partial class ApiCreateBenchmark : IBenchmark
{
    private const string DefaultImage = "localhost/airlock-base:bookworm";
    private const string Tenant = "airlock-bench";
    private static readonly string[] Command = ["sleep", "infinity"];
    private static readonly string[] Known = ["--iterations", "--warmup", "--server-warmup", "--pause", "--engine"];

    /// <summary><c>--plain</c> adds a third variant: create + start of a bare container (no hardening, no limits).</summary>
    private static readonly string[] Flags = ["--plain"];

    public string Name => "api-create";

    public string Summary => "create -> running: POST /v1/sandboxes on `airlock serve` vs the engine's create + start of the same container";

    public async Task<int> RunAsync(BenchContext context)
    {
        var (output, ct) = (context.Out, context.Cancellation);
        if (!BenchArgs.TryParse(context.Args, Known, Flags, out var args, out var error))
        {
            context.Error.WriteLine($"{Name}: {error}");
            return 2;
        }

        int iterations, warmup, serverWarmup, pauseMs;
        try
        {
            iterations = args.GetInt("--iterations", 30, 1);
            warmup = args.GetInt("--warmup", 3, 0);

            // A server runs for days: its steady state is what counts. .NET moves a method to optimised code after 30
            // calls, so the create path is run past that before the interleaved rounds start.
            serverWarmup = args.GetInt("--server-warmup", 40, 0);
            pauseMs = args.GetInt("--pause", 200, 0);
        }
        catch (ArgumentException ex)
        {
            context.Error.WriteLine($"{Name}: {ex.Message}");
            return 2;
        }

        var engineName = args.Get("--engine") ?? "podman";
        if (engineName is not ("podman" or "docker"))
        {
            context.Error.WriteLine($"{Name}: --engine takes podman or docker");
            return 2;
        }

        var airlock = AirlockBinary.Find();
        if (airlock is null)
        {
            context.Error.WriteLine($"{Name}: {AirlockBinary.Missing}");
            return 2;
        }

        var image = Environment.GetEnvironmentVariable("AIRLOCK_BENCH_IMAGE") is { Length: > 0 } i ? i : DefaultImage;
        var endpoint = EngineEndpoint.Parse(engineName == "podman"
            ? Environment.GetEnvironmentVariable("AIRLOCK_BENCH_PODMAN") is { Length: > 0 } p ? p : "unix:///run/podman/podman.sock"
            : Environment.GetEnvironmentVariable("AIRLOCK_BENCH_DOCKER") is { Length: > 0 } d ? d : "unix:///var/run/docker.sock");

        EngineClient engine;
        try
        {
            engine = await EngineClient.ConnectAsync(endpoint, ct: ct);
        }
        catch (Exception ex) when (ex is Airlock.Engine.Errors.EngineException or HttpRequestException)
        {
            context.Error.WriteLine($"{Name}: no engine at {endpoint}: {ex.Message}");
            return 2;
        }

        using var _ = engine;
        if (!await engine.Images.ExistsAsync(image, ct))
        {
            context.Error.WriteLine($"{Name}: image {image} is not in {engineName} (make one with scripts/base-image.sh, or set AIRLOCK_BENCH_IMAGE)");
            return 2;
        }

        output.WriteLine($"{Name}: create -> running of `{string.Join(' ', Command)}` in {image}, then delete (untimed)");
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage.Now()}");
        output.WriteLine($"engine: {endpoint} ({engine.Identity.Kind} {engine.Identity.Version}, API {engine.Identity.NegotiatedApiVersion})");
        output.WriteLine($"server: {airlock} serve (its own process, SQLite in a temp dir)");
        output.WriteLine($"warm-up: {serverWarmup} API creates alone, then {warmup} per variant   measured: {iterations} per variant, interleaved   pause between runs: {pauseMs} ms");
        if (iterations < 20)
        {
            output.WriteLine($"note: {iterations} iterations is a smoke run; use 20 or more for figures");
        }

        var state = new RunState(engine, image) { Warmup = warmup };
        var failed = false;
        try
        {
            await SweepAsync(engine, output, "an earlier run left", ct);
            await using var server = await ServeProcess.StartAsync(airlock, endpoint.ToString(), ct);
            output.WriteLine($"server: listening on {server.Address} (pid {server.ProcessId})");
            using var client = server.Client(await server.NewTenantAsync(Tenant, 10, "operator", ct));
            state.Client = client;
            state.Server = server;

            var variants = new List<Variant> { Variant.Api, Variant.Engine };
            if (args.Has("--plain"))
            {
                variants.Add(Variant.Plain);
            }

            variants.AddRange(await GvisorVariantsAsync(engine, output, ct));

            for (var n = 0; n < serverWarmup; n++)
            {
                await RunOnceAsync(state, Variant.Api, -1 - n, ct);
            }

            for (var round = 0; round < warmup + iterations; round++)
            {
                // Same interleaving as engine-run: every round runs each variant once, odd rounds backwards, the order
                // rotating every two rounds, so drift on the machine hits all of them alike.
                for (var k = 0; k < variants.Count; k++)
                {
                    var position = round % 2 == 0 ? k : variants.Count - 1 - k;
                    var variant = variants[(round / 2 + position) % variants.Count];
                    var elapsed = await RunOnceAsync(state, variant, round, ct);
                    if (round >= warmup)
                    {
                        state.Samples[variant].Add(elapsed);
                    }

                    await Task.Delay(pauseMs, ct);
                }
            }

            Report(output, state, variants);
            ReportGvisor(output, state, variants);
            output.WriteLine($"load average at the end: {LoadAverage.Now()}");
        }
        catch (BenchRunException ex)
        {
            context.Error.WriteLine($"{Name}: {ex.Message}");
            failed = true;
        }
        finally
        {
            // After the server is gone: whatever is still labelled was left by a failure or an interruption.
            await SweepAsync(engine, output, "left behind", CancellationToken.None);
        }

        var ratio = state.Samples[Variant.Api].Count > 0 && state.Samples[Variant.Engine].Count > 0
            ? (state.Samples[Variant.Api].Median / state.Samples[Variant.Engine].Median).ToString("F2", CultureInfo.InvariantCulture)
            : "n/a";
        WriteGvisorRatio(output, state);
        output.WriteLine($"{Name}: ratio={ratio}");
        return failed ? 1 : 0;
    }

    private static async Task<TimeSpan> RunOnceAsync(RunState state, Variant variant, int round, CancellationToken ct)
    {
        if (variant is Variant.Api or Variant.ApiGvisor)
        {
            var body = JsonSerializer.Serialize(new
            {
                name = round < 0 ? $"w{-round}" : $"r{round}",
                image = state.Image,
                command = Command,
                limits = new { cpus = 0.5, memoryBytes = 256L << 20 },
                isolation = IsolationLevels.Name(LevelOf(variant)),
            });
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var cpuBefore = state.Server!.CpuTime();
            var started = Stopwatch.GetTimestamp();
            using var response = await state.Client!.PostAsync("/v1/sandboxes", content, ct);
            var text = await ServeProcess.ExpectAsync(response, 201, ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (round >= state.Warmup && variant == Variant.Api)
            {
                state.ServerCpu += state.Server.CpuTime() - cpuBefore;
            }

            var sandbox = JsonNode.Parse(text)!;
            if (sandbox["state"]?.GetValue<string>() != "running")
            {
                throw new BenchRunException($"the API answered 201 with state {sandbox["state"]}, not running");
            }

            await ServeProcess.ExpectAsync(await state.Client.DeleteAsync($"/v1/sandboxes/{sandbox["id"]!.GetValue<string>()}", ct), 204, ct);
            return elapsed;
        }

        var options = variant switch
        {
            Variant.Engine => state.Hardened($"airlock-bench-e{round}"),
            Variant.EngineGvisor => state.Hardened($"airlock-bench-g{round}", IsolationLevel.Gvisor),
            _ => state.Plain($"airlock-bench-p{round}"),
        };
        var containers = state.Engine.Containers;
        var begin = Stopwatch.GetTimestamp();
        var id = await containers.CreateAsync(options, ct);
        try
        {
            await containers.StartAsync(id, ct);
            return Stopwatch.GetElapsedTime(begin);
        }
        finally
        {
            await containers.RemoveIfExistsAsync(id, CancellationToken.None);
        }
    }

    private static void Report(TextWriter output, RunState state, IReadOnlyList<Variant> variants)
    {
        output.WriteLine();
        output.WriteLine($"{"variant",-34} {"n",4} {"median",9} {"p90",9} {"min",9} {"max",9}   (ms)");
        foreach (var v in variants)
        {
            var s = state.Samples[v];
            output.WriteLine($"{s.Name,-34} {s.Count,4} {Samples.Ms(s.Median),9} {Samples.Ms(s.Percentile(90)),9} {Samples.Ms(s.Min),9} {Samples.Ms(s.Max),9}");
        }

        output.WriteLine();
        var (api, eng) = (state.Samples[Variant.Api], state.Samples[Variant.Engine]);
        output.WriteLine(
            $"api/engine median ratio {api.Median / eng.Median:F2} ({Samples.Ms(api.Median)} / {Samples.Ms(eng.Median)} ms, the API adds {Samples.Ms(api.Median - eng.Median)} ms); " +
            $"paired, per round: {Samples.PairedRatio(api, eng):F2}");
        output.WriteLine($"server CPU per create (user + system, the whole process): {state.ServerCpu.TotalMilliseconds / api.Count:F1} ms");
        if (state.Samples[Variant.Plain].Count > 0)
        {
            var plain = state.Samples[Variant.Plain];
            output.WriteLine($"hardened/plain engine median ratio {eng.Median / plain.Median:F2} ({Samples.Ms(eng.Median)} / {Samples.Ms(plain.Median)} ms)");
        }
    }

    /// <summary>Removes the benchmark's engine-side containers (labelled) and the server's (its tenant's label).</summary>
    private static async Task SweepAsync(EngineClient engine, TextWriter output, string what, CancellationToken ct)
    {
        var left = await BenchLabel.SweepAsync(engine, ct) + await BenchLabel.SweepAsync(engine, $"io.airlock.tenant={Tenant}", ct);
        if (left > 0)
        {
            output.WriteLine($"removed {left} container(s) {what}");
        }
    }

    private enum Variant
    {
        /// <summary>POST /v1/sandboxes until the 201 with state running.</summary>
        Api,

        /// <summary>The same hardened container the server makes, created and started through Airlock.Engine.</summary>
        Engine,

        /// <summary>A bare container of the same image and command.</summary>
        Plain,

        /// <summary>POST /v1/sandboxes with <c>"isolation": "gvisor"</c>.</summary>
        ApiGvisor,

        /// <summary>The same hardened container at the gvisor level (runtime airlock-runsc), through Airlock.Engine.</summary>
        EngineGvisor,
    }

    private sealed class RunState(EngineClient engine, string image)
    {
        public EngineClient Engine { get; } = engine;

        public string Image { get; } = image;

        public HttpClient? Client { get; set; }

        public ServeProcess? Server { get; set; }

        public int Warmup { get; init; }

        /// <summary>The server process's CPU time during the measured creates (whatever else the machine runs).</summary>
        public TimeSpan ServerCpu { get; set; }

        public Dictionary<Variant, Samples> Samples { get; } = new()
        {
            [Variant.Api] = new("api: POST /v1/sandboxes"),
            [Variant.Engine] = new("engine: create + start (same spec)"),
            [Variant.Plain] = new("engine: create + start (bare)"),
            [Variant.ApiGvisor] = new("api: POST /v1/sandboxes (gvisor)"),
            [Variant.EngineGvisor] = new("engine: create + start (gvisor)"),
        };

        /// <summary>What the server sends the engine for the API's request: the same validator and mapper, the same hardening.</summary>
        public ContainerCreateOptions Hardened(string name, IsolationLevel isolation = IsolationLevel.Container)
        {
            var plan = SandboxRequestValidator.Validate(new CreateSandboxRequest
            {
                Name = "bench",
                Image = Image,
                Command = Command,
                Limits = new SandboxLimitsRequest { Cpus = 0.5, MemoryBytes = 256L << 20 },
                Isolation = IsolationLevels.Name(isolation),
            }, imageProblem: null); // the server checks the image against its allowlist; the engine variant runs it as given
            return ContainerSpecMapper.ToCreateOptions(plan.Spec, name, BenchLabel.Labels, []);
        }

        public ContainerCreateOptions Plain(string name) => new() { Image = Image, Name = name, Command = Command, Labels = BenchLabel.Labels };
    }
}
