using System.Globalization;
using System.Text.RegularExpressions;
using Airlock.Bench.Infrastructure;
using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// launcher-run: a whole launch, <c>airlock NS -- true</c> (config, lock, hardened create, attach, start, wait, remove),
/// against <c>podman run --rm</c> of the namespace's own image. The namespace lives in a throw-away AIRLOCK_HOME.
/// </summary>
internal sealed class LauncherRunBenchmark : IBenchmark
{
    private const string Namespace = "bench";

    private const string PodmanSocket = "/run/podman/podman.sock";

    public string Name => "launcher-run";

    public string Summary => "`airlock NS -- true` vs `podman run --rm` of the same image";

    public async Task<int> RunAsync(BenchContext context)
    {
        var airlock = AirlockBinary.Find();
        var podman = CliProcess.Resolve("podman");
        if (airlock is null || podman is null)
        {
            context.Error.WriteLine($"{Name}: {(airlock is null ? AirlockBinary.Missing : "podman is not installed")}");
            return 2;
        }

        var iterations = context.Args.Count > 0 && int.TryParse(context.Args[0], CultureInfo.InvariantCulture, out var n) ? n : 25;
        var home = Directory.CreateTempSubdirectory("airlock-bench-home-");
        var project = Directory.CreateTempSubdirectory("airlock-bench-project-");
        var env = new Dictionary<string, string> { ["AIRLOCK_HOME"] = home.FullName, ["AIRLOCK_ENGINE"] = "podman" };
        try
        {
            context.Out.WriteLine($"{Name}: creating namespace '{Namespace}' from the base template (cached layers make this quick after the first time)");
            var create = await CliProcess.RunAsync(airlock, ["create", "namespace", Namespace, "base"], context.Cancellation, env);
            if (create.ExitCode != 0)
            {
                context.Error.WriteLine($"{Name}: creating the namespace failed: {create.Stderr}");
                return 1;
            }

            // Same image, same command; both remove the container. airlock adds its wall (init, cap drop, limits, mounts).
            var ours = new[] { airlock, Namespace, "--", "true" };
            // The image's name carries its owner (docs/namespaces.md#image-names): take it from what create recorded.
            var image = Regex.Match(await File.ReadAllTextAsync(Path.Combine(home.FullName, "config.yaml"), context.Cancellation), @"^\s+image:\s*(\S+)", RegexOptions.Multiline).Groups[1].Value;
            var theirs = new[] { podman, "run", "--rm", image, "true" };
            // airlock hands the container's removal to the engine once the exit code is known (podman run --rm waits for
            // it): wait for that removal between runs so it never overlaps the next run, and report it separately.
            using var engine = await EngineClient.ConnectAsync(EngineEndpoint.Unix(PodmanSocket), ct: context.Cancellation);
            var comparison = new CommandComparison(
                $"airlock {Namespace} -- true", ours, "podman run --rm", theirs, env, ct => WaitUntilRemovedAsync(engine, ct));
            Directory.SetCurrentDirectory(project.FullName);
            context.Out.WriteLine($"{Name}: 3 warm-up + {iterations} measured runs each, alternating; engine: podman");
            await comparison.RunAsync(3, iterations, context.Cancellation);
            comparison.Report(context.Out);
            // The gVisor level's and the open mode's figures on lines of their own; the default's (a new namespace's
            // network: allowlist) stays the last line.
            foreach (var variant in new[] { LauncherRunVariant.Gvisor, LauncherRunVariant.Open })
            {
                await variant.RunAsync(context, airlock, podman, Namespace, image, env, ct => WaitUntilRemovedAsync(engine, ct), iterations);
            }
            context.Out.WriteLine($"{Name}: ratio={comparison.Ratio.ToString("F2", CultureInfo.InvariantCulture)}");
            return 0;
        }
        finally
        {
            await CliProcess.RunAsync(airlock, ["delete", "namespace", Namespace, "--force"], CancellationToken.None, env);
            home.Delete(recursive: true);
            project.Delete(recursive: true);
        }
    }

    private static async Task WaitUntilRemovedAsync(EngineClient engine, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await engine.Containers.ListAsync([$"io.airlock.namespace={Namespace}"], all: true, ct)).Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("a launcher session's container was still there 30 s after airlock exited");
            }

            await Task.Delay(5, ct);
        }
    }
}
