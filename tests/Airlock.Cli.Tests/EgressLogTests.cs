using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Airlock.Cli.Tests;

/// <summary>
/// <c>airlock egress log</c>, run as the real binary over records written the way a session's proxy writes them (one
/// file per session under <c>state/egress/NAMESPACE/</c>): no engine is needed to read them.
/// </summary>
public sealed class EgressLogTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("airlock-cli-egress-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Home => Path.Combine(_scratch, "airlock");

    private Dictionary<string, string?> Isolated() => new()
    {
        ["AIRLOCK_HOME"] = Home,
        ["HOME"] = Path.Combine(_scratch, "home"),
        ["XDG_RUNTIME_DIR"] = Path.Combine(_scratch, "run"),
        ["AIRLOCK_ENGINE"] = "unix://" + Path.Combine(_scratch, "no-engine.sock"),
        ["NO_COLOR"] = "1",
        ["COLUMNS"] = "200",
    };

    private static string Line(string time, string session, string host, int port, string verdict, string reason) =>
        $$"""{"time":"{{time}}","sandbox":"{{session}}","protocol":"connect","host":"{{host}}","port":{{port}},"address":"140.82.112.3","verdict":"{{verdict}}","reason":"{{reason}}","bytesUp":517,"bytesDown":4096,"durationMs":12.5}""" + "\n";

    private void Write(string ns, string session, params string[] lines)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Home, "state", "egress", ns)).FullName;
        File.AppendAllText(Path.Combine(dir, session + ".jsonl"), string.Concat(lines));
    }

    [Fact]
    public async Task The_log_shows_every_sessions_records_in_time_order_with_their_verdicts()
    {
        Write("work", "airlock-work-aaaa1111", Line("2026-12-03T10:00:02Z", "airlock-work-aaaa1111", "evil.example", 443, "refused", "not-allowed"));
        Write("work", "airlock-work-bbbb2222", Line("2026-12-03T10:00:01Z", "airlock-work-bbbb2222", "github.com", 443, "allowed", "allowed-by-rule"));
        Write("other", "airlock-other-cccc3333", Line("2026-12-03T10:00:00Z", "airlock-other-cccc3333", "npmjs.org", 443, "allowed", "allowed-by-rule"));

        var work = (await AirlockBinary.RunAsync(["egress", "log", "work"], Isolated())).ShouldSucceed();
        var all = (await AirlockBinary.RunAsync(["egress", "log"], Isolated())).ShouldSucceed();

        work.Stdout.ShouldContain("github.com:443");
        work.Stdout.ShouldContain("evil.example:443");
        work.Stdout.ShouldContain("refused");
        work.Stdout.IndexOf("github.com", StringComparison.Ordinal).ShouldBeLessThan(work.Stdout.IndexOf("evil.example", StringComparison.Ordinal), "oldest first");
        work.Stdout.ShouldNotContain("npmjs.org", Case.Sensitive, "another namespace's records");
        all.Stdout.ShouldContain("other/airlock-other-cccc3333");
    }

    [Fact]
    public async Task Json_is_one_record_per_line_with_the_files_fields()
    {
        Write("work", "airlock-work-aaaa1111", Line("2026-12-03T10:00:02Z", "airlock-work-aaaa1111", "evil.example", 443, "refused", "not-allowed"));

        var result = (await AirlockBinary.RunAsync(["egress", "log", "work", "--json"], Isolated())).ShouldSucceed();

        var record = JsonNode.Parse(result.Stdout.Trim().Split('\n').ShouldHaveSingleItem())!;
        record["host"]!.GetValue<string>().ShouldBe("evil.example");
        record["verdict"]!.GetValue<string>().ShouldBe("refused");
        record["bytesDown"]!.GetValue<long>().ShouldBe(4096);
    }

    [Fact]
    public async Task A_line_cut_short_is_skipped_with_a_warning_and_the_rest_is_shown()
    {
        Write("work", "airlock-work-aaaa1111", Line("2026-12-03T10:00:02Z", "airlock-work-aaaa1111", "github.com", 443, "allowed", "allowed-by-rule"), "{\"time\":\"2026-12-03T10:00:03Z\",\"sand\n");

        var result = (await AirlockBinary.RunAsync(["egress", "log", "work"], Isolated())).ShouldSucceed();

        result.Stdout.ShouldContain("github.com:443");
        result.Stderr.ShouldContain("1 line(s)");
    }

    [Fact]
    public async Task No_records_says_where_they_come_from_and_an_unknown_namespace_is_exit_2()
    {
        Directory.CreateDirectory(Path.Combine(Home, "namespaces", "work"));

        var none = (await AirlockBinary.RunAsync(["egress", "log", "work"], Isolated())).ShouldSucceed();
        var unknown = await AirlockBinary.RunAsync(["egress", "log", "nope"], Isolated());

        none.Stdout.ShouldContain("network allowlist mode");
        unknown.ExitCode.ShouldBe(2, unknown.ToString());
        unknown.Stderr.ShouldContain("no namespace nope");
    }

    [Fact]
    public async Task Follow_prints_records_a_session_writes_after_it_started()
    {
        Write("work", "airlock-work-aaaa1111", Line("2026-12-03T10:00:01Z", "airlock-work-aaaa1111", "github.com", 443, "allowed", "allowed-by-rule"));
        var psi = ProcessRunner.StartInfo(AirlockBinary.Path, ["egress", "log", "work", "--follow", "--json"], Isolated());
        using var follower = Process.Start(psi)!;
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            (await follower.StandardOutput.ReadLineAsync(limit.Token))!.ShouldContain("github.com");

            Write("work", "airlock-work-aaaa1111", Line("2026-12-03T10:00:05Z", "airlock-work-aaaa1111", "late.example", 443, "refused", "not-allowed"));
            Write("work", "airlock-work-dddd4444", Line("2026-12-03T10:00:06Z", "airlock-work-dddd4444", "new-session.example", 443, "allowed", "allowed-by-rule"));

            var next = new[] { await follower.StandardOutput.ReadLineAsync(limit.Token), await follower.StandardOutput.ReadLineAsync(limit.Token) };
            next.ShouldContain(l => l!.Contains("late.example", StringComparison.Ordinal));
            next.ShouldContain(l => l!.Contains("new-session.example", StringComparison.Ordinal));
        }
        finally
        {
            follower.Kill(entireProcessTree: true);
            await follower.WaitForExitAsync(CancellationToken.None);
        }
    }
}
