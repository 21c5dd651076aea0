using System.Globalization;

namespace Airlock.Bench.Infrastructure;

/// <summary>Timings of one variant, in milliseconds, with the order statistics the reports print.</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> _ms = [];

    public string Name { get; } = name;

    public int Count => _ms.Count;

    public void Add(TimeSpan elapsed) => _ms.Add(elapsed.TotalMilliseconds);

    /// <summary>
    /// The median of <c>a[i] / b[i]</c> over samples taken in the same round: a slow change in the machine's load
    /// moves both sides of each pair alike, so this moves less than the ratio of the two medians.
    /// </summary>
    public static double PairedRatio(Samples a, Samples b)
    {
        var n = Math.Min(a.Count, b.Count);
        var ratios = new Samples("ratio");
        for (var i = 0; i < n; i++)
        {
            ratios._ms.Add(a._ms[i] / b._ms[i]);
        }

        return ratios.Median;
    }

    public double Median
    {
        get
        {
            var s = Sorted();
            var mid = s.Length / 2;
            return s.Length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
        }
    }

    public double Min => Sorted()[0];

    public double Max => Sorted()[^1];

    /// <summary>Nearest-rank percentile: the smallest sample at or above <paramref name="p"/> percent of them.</summary>
    public double Percentile(double p)
    {
        var s = Sorted();
        var rank = (int)Math.Ceiling(p / 100 * s.Length);
        return s[Math.Clamp(rank - 1, 0, s.Length - 1)];
    }

    public static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);

    private double[] Sorted()
    {
        if (_ms.Count == 0)
        {
            throw new InvalidOperationException($"{Name}: no samples");
        }

        var s = _ms.ToArray();
        Array.Sort(s);
        return s;
    }
}
