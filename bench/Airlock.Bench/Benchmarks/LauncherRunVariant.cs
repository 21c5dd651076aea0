using System.Globalization;
using Airlock.Bench.Infrastructure;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// One more launcher-run comparison in the same run, printed on a line of its own (<c>launcher-run-NAME: ratio=X</c>):
/// <c>airlock NS FLAGS -- true</c> against the raw podman command that does the same.
/// </summary>
/// <param name="Name">The suffix: <c>gvisor</c>, <c>open</c>.</param>
/// <param name="Flags">airlock's flags for the variant.</param>
/// <param name="PodmanFlags">podman run's flags for the same (e.g. <c>--runtime airlock-runsc</c>); empty for a plain run.</param>
internal sealed record LauncherRunVariant(string Name, IReadOnlyList<string> Flags, IReadOnlyList<string> PodmanFlags, string Note)
{
    /// <summary>
    /// The gVisor level (issue 11) against <c>podman run --rm --runtime airlock-runsc</c>. podman 4.3's CLI takes
    /// <c>--runtime</c> (its API ignores the runtime, which is why the launcher goes through a private podman service).
    /// </summary>
    public static readonly LauncherRunVariant Gvisor = new("gvisor", ["--isolation", "gvisor"], ["--runtime", "airlock-runsc"], "runtime airlock-runsc");

    /// <summary>
    /// The open network mode (a namespace asks for it with <c>network: open</c>): the engine's bridge behind the network
    /// guard, a second container per launch. New namespaces are allowlist, which the main line measures.
    /// </summary>
    public static readonly LauncherRunVariant Open = new("open", ["--network", "open"], [], "airlock in network open mode (bridge + guard)");

    /// <summary>Runs the comparison and prints its table and <c>launcher-run-NAME: ratio=X</c>.</summary>
    public async Task RunAsync(
        BenchContext context, string airlock, string podman, string ns, string image, IReadOnlyDictionary<string, string> env,
        Func<CancellationToken, Task> settle, int iterations)
    {
        var podmanArgs = new List<string> { podman, "run", "--rm" };
        podmanArgs.AddRange(PodmanFlags);
        podmanArgs.AddRange([image, "true"]);
        var comparison = new CommandComparison(
            $"airlock {ns} {string.Join(' ', Flags)} -- true", [airlock, ns, .. Flags, "--", "true"],
            string.Join(' ', podmanArgs.Skip(1).SkipLast(2).Prepend("podman")), podmanArgs.ToArray(),
            env, settle);
        context.Out.WriteLine($"launcher-run-{Name}: 3 warm-up + {iterations} measured runs each, alternating; engine: podman, {Note}");
        await comparison.RunAsync(3, iterations, context.Cancellation);
        comparison.Report(context.Out);
        context.Out.WriteLine($"launcher-run-{Name}: ratio={comparison.Ratio.ToString("F2", CultureInfo.InvariantCulture)}");
    }
}
