using System.Text;
using Airlock.Engine.Containers;
using Airlock.Engine.Streams;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class LogsTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Logs_of_a_finished_container_keep_stdout_and_stderr_apart(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartAsync(TestEngine.Script("echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2"));
        await e.Client.Containers.WaitAsync(id, Ct);

        var (stdout, stderr) = await scope.ReadLogsAsync(id);

        stdout.ShouldBe("out-1\nout-2\n");
        stderr.ShouldBe("err-1\nerr-2\n");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Logs_read_only_the_streams_asked_for(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartAsync(TestEngine.Script("echo out; echo err >&2"));
        await e.Client.Containers.WaitAsync(id, Ct);

        var (stdout, stderr) = await scope.ReadLogsAsync(id, new LogsOptions(Stdout: false));

        stdout.ShouldBeEmpty();
        stderr.ShouldBe("err\n");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Logs_with_tail_return_only_the_last_lines(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartAsync(TestEngine.Script("for i in 1 2 3 4 5; do echo line-$i; done"));
        await e.Client.Containers.WaitAsync(id, Ct);

        var (stdout, _) = await scope.ReadLogsAsync(id, new LogsOptions(Tail: 2));

        stdout.ShouldBe("line-4\nline-5\n");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Logs_of_a_tty_container_are_read_raw(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartAsync(TestEngine.Script("echo out; echo err >&2") with { Tty = true });
        await e.Client.Containers.WaitAsync(id, Ct);

        var (stdout, stderr) = await scope.ReadLogsAsync(id);

        stdout.ShouldBe("out\r\nerr\r\n");
        stderr.ShouldBeEmpty();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Logs_follow_delivers_lines_while_the_container_runs_and_ends_when_it_stops(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        // Two lines, then the container idles: the lines can only be read while it is running.
        var id = await scope.StartIdleAsync(TestEngine.Script("echo first; echo second >&2; exec sleep infinity"));

        var seen = new List<OutputChunk>();
        await using var logs = e.Client.Containers.LogsAsync(id, new LogsOptions(Follow: true), Ct).GetAsyncEnumerator(Ct);
        while (Text(seen, OutputKind.Stdout) != "first\n" || Text(seen, OutputKind.Stderr) != "second\n")
        {
            (await logs.MoveNextAsync()).ShouldBeTrue("the log ended before both lines arrived");
            seen.Add(logs.Current);
        }

        (await e.Client.Containers.InspectAsync(id, Ct)).State.Running.ShouldBeTrue();
        await e.Client.Containers.KillAsync(id, ct: Ct);
        while (await logs.MoveNextAsync())
        {
            seen.Add(logs.Current);
        }

        Text(seen, OutputKind.Stdout).ShouldBe("first\n");
    }

    private static string Text(IEnumerable<OutputChunk> chunks, OutputKind kind) =>
        string.Concat(chunks.Where(c => c.Kind == kind).Select(c => Encoding.UTF8.GetString(c.Data.Span)));
}
