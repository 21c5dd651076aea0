using Airlock.Bench.Benchmarks;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Airlock.Bench.Infrastructure;

/// <summary>What one <c>wrk --latency</c> run reports: requests per second, latency percentiles, and answers that were not 2xx/3xx.</summary>
internal sealed partial record WrkResult(double RequestsPerSecond, double P50Ms, double P90Ms, double P99Ms, long Requests, long NonSuccess, long SocketErrors)
{
    public static WrkResult Parse(string output)
    {
        var rps = RpsLine().Match(output);
        var requests = RequestCount().Match(output);
        if (!rps.Success || !requests.Success)
        {
            throw new BenchRunException($"could not read wrk's output:\n{output}");
        }

        var nonSuccess = NonSuccessLine().Match(output);
        var socketErrors = SocketErrorsLine().Matches(output).SelectMany(m => m.Groups["n"].Captures).Sum(c => long.Parse(c.Value, CultureInfo.InvariantCulture));
        return new WrkResult(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50"),
            Percentile(output, "90"),
            Percentile(output, "99"),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            nonSuccess.Success ? long.Parse(nonSuccess.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors);
    }

    /// <summary>A line of <c>--latency</c>'s distribution, e.g. <c>99%   12.34ms</c>, in milliseconds.</summary>
    private static double Percentile(string output, string percent)
    {
        var m = Regex.Match(output, $@"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!m.Success)
        {
            throw new BenchRunException($"wrk's output has no {percent}% latency line (was it run with --latency?)");
        }

        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RpsLine();

    [GeneratedRegex(@"^\s*(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"^\s*Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (?<n>\d+), read (?<n>\d+), write (?<n>\d+), timeout (?<n>\d+)")]
    private static partial Regex SocketErrorsLine();
}
