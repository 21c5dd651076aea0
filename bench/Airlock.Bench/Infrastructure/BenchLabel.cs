using Airlock.Engine;

namespace Airlock.Bench.Infrastructure;

/// <summary>Every container a benchmark creates carries this label, so a sweep can find whatever a failed run left.</summary>
internal static class BenchLabel
{
    public const string Key = "io.airlock.bench";
    public const string Value = "1";
    public const string Selector = Key + "=" + Value;

    public static IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string> { [Key] = Value };

    /// <summary>Force-removes every labelled container on the engine; returns how many there were.</summary>
    public static Task<int> SweepAsync(EngineClient engine, CancellationToken ct) => SweepAsync(engine, Selector, ct);

    /// <summary>Force-removes every container carrying <paramref name="selector"/> (key=value); returns how many there were.</summary>
    public static async Task<int> SweepAsync(EngineClient engine, string selector, CancellationToken ct)
    {
        var left = await engine.Containers.ListAsync([selector], all: true, ct);
        foreach (var c in left)
        {
            await engine.Containers.RemoveIfExistsAsync(c.Id, ct);
        }

        return left.Count;
    }
}
