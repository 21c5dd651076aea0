using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Airlock.Sandboxes.Egress;

namespace Airlock.Sandboxes.Tests.Egress;

public sealed class EgressLogTests
{
    private static readonly EgressRecord Sample = new(
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), "sbx-1", EgressProtocol.Connect, "github.com", 443,
        IPAddress.Parse("140.82.112.3"), EgressVerdict.Allowed, EgressReasons.AllowedByRule, 1200, 53000, TimeSpan.FromMilliseconds(812.5));

    [Fact]
    public async Task The_json_lines_log_is_kept_0600_and_appends_one_line_per_record()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("egress.jsonl");

        await using (var log = new JsonLinesEgressLog(path))
        {
            await log.WriteAsync(Sample, TestContext.Current.CancellationToken);
        }

        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "created 0600");
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));
        await using (var log = new JsonLinesEgressLog(path))
        {
            await log.WriteAsync(Sample with { Verdict = EgressVerdict.Refused, Reason = EgressReasons.NotAllowed, Address = null }, TestContext.Current.CancellationToken);
        }

        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        lines.Length.ShouldBe(2);
        lines[0].ShouldBe("""{"time":"2026-01-02T01:04:05.0000000Z","sandbox":"sbx-1","protocol":"connect","host":"github.com","port":443,"address":"140.82.112.3","verdict":"allowed","reason":"allowed-by-rule","bytesUp":1200,"bytesDown":53000,"durationMs":812.5}""");
        using var second = JsonDocument.Parse(lines[1]);
        second.RootElement.GetProperty("verdict").GetString().ShouldBe("refused");
        second.RootElement.GetProperty("address").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Connections_and_bytes_are_counted_on_the_airlock_egress_meter()
    {
        long refused = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EgressMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "airlock.egress.connections" && tags.ToArray().Any(t => t.Key == "reason" && (string?)t.Value == EgressReasons.ModeNone))
            {
                Interlocked.Add(ref refused, value);
            }
        });
        listener.Start();
        await using var h = new ProxyHarness(EgressPolicy.Deny);

        var (socket, _) = await h.ConnectTunnelAsync("example.com:443");
        socket.Dispose();
        await h.RecordAsync();

        Interlocked.Read(ref refused).ShouldBeGreaterThanOrEqualTo(1);
    }
}
