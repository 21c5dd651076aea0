using System.Diagnostics.Metrics;

namespace Airlock.Sandboxes.Egress;

/// <summary>The egress proxy's instruments (meter <c>Airlock.Egress</c>); exporters are the server's business.</summary>
public static class EgressMetrics
{
    public const string MeterName = "Airlock.Egress";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Connections, tagged <c>verdict</c>, <c>protocol</c> and <c>reason</c>.</summary>
    internal static readonly Counter<long> Connections = Meter.CreateCounter<long>("airlock.egress.connections", "{connection}", "Connections through the egress proxy");

    /// <summary>Bytes passed, tagged <c>direction</c> (up: to the destination, down: to the sandbox).</summary>
    internal static readonly Counter<long> Bytes = Meter.CreateCounter<long>("airlock.egress.bytes", "By", "Bytes through the egress proxy");
}
