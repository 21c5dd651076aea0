using System.Globalization;
using Airlock.Bench.Infrastructure;
using Airlock.Engine;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// api-create at the gvisor level: <c>POST /v1/sandboxes</c> with <c>"isolation": "gvisor"</c> against the engine's own
/// create + start of the same container with the same runtime (airlock-runsc), interleaved with the default pair in the
/// same run. Printed as <c>api-create-gvisor: ratio=Y</c> on a line of its own, before api-create's last line.
/// </summary>
internal sealed partial class ApiCreateBenchmark
{
    private static IsolationLevel LevelOf(Variant variant) =>
        variant is Variant.ApiGvisor or Variant.EngineGvisor ? IsolationLevel.Gvisor : IsolationLevel.Container;

    /// <summary>The gvisor pair when the engine has gVisor's runtime; none (said so) when it has not.</summary>
    private static async Task<IReadOnlyList<Variant>> GvisorVariantsAsync(EngineClient engine, TextWriter output, CancellationToken ct)
    {
        if ((await engine.RuntimesAsync(ct)).Contains(IsolationRules.GvisorRuntime))
        {
            output.WriteLine($"gvisor: the engine has {IsolationRules.GvisorRuntime}; the API and the engine pair also run at the gvisor level, interleaved");
            return [Variant.ApiGvisor, Variant.EngineGvisor];
        }

        output.WriteLine($"gvisor: the engine has no runtime {IsolationRules.GvisorRuntime} (scripts/setup-gvisor.sh adds it); gvisor not measured");
        return [];
    }

    private static void ReportGvisor(TextWriter output, RunState state, IReadOnlyList<Variant> variants)
    {
        if (!variants.Contains(Variant.ApiGvisor))
        {
            return;
        }

        var (api, eng) = (state.Samples[Variant.ApiGvisor], state.Samples[Variant.EngineGvisor]);
        output.WriteLine(
            $"gvisor: api/engine median ratio {api.Median / eng.Median:F2} ({Samples.Ms(api.Median)} / {Samples.Ms(eng.Median)} ms, the API adds {Samples.Ms(api.Median - eng.Median)} ms); " +
            $"paired, per round: {Samples.PairedRatio(api, eng):F2}");
    }

    private static void WriteGvisorRatio(TextWriter output, RunState state)
    {
        var (api, eng) = (state.Samples[Variant.ApiGvisor], state.Samples[Variant.EngineGvisor]);
        var ratio = api.Count > 0 && eng.Count > 0 ? (api.Median / eng.Median).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
        output.WriteLine($"api-create-gvisor: ratio={ratio}");
    }
}
