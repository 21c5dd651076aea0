using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Airlock.Sandboxes.Egress;

/// <summary>Reads back one line <see cref="JsonLinesEgressLog"/> wrote; null for a line that is not one (cut short, edited).</summary>
public static class EgressRecordLine
{
    public static EgressRecord? TryParse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new EgressRecord(
                DateTimeOffset.Parse(r.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                r.GetProperty("sandbox").GetString() ?? "",
                Enum.Parse<EgressProtocol>(r.GetProperty("protocol").GetString()!, ignoreCase: true),
                r.GetProperty("host").GetString() ?? "",
                r.GetProperty("port").GetInt32(),
                r.GetProperty("address").GetString() is { } a ? IPAddress.Parse(a) : null,
                Enum.Parse<EgressVerdict>(r.GetProperty("verdict").GetString()!, ignoreCase: true),
                r.GetProperty("reason").GetString() ?? "",
                r.GetProperty("bytesUp").GetInt64(),
                r.GetProperty("bytesDown").GetInt64(),
                TimeSpan.FromMilliseconds(r.GetProperty("durationMs").GetDouble()));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
