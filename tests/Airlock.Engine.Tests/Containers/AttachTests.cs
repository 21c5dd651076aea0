using System.Text;
using Airlock.Engine.Errors;
using Airlock.Engine.Streams;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class AttachTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Attach_to_a_missing_container_throws_not_found_with_the_engines_own_words(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        var missing = $"airlock-test-missing-{e.RunId}";

        // The refusal comes on the raw upgrade connection, which the engine may keep open after its (chunked) body.
        var error = await Should.ThrowAsync<EngineNotFoundException>(() => e.Client.Containers.AttachAsync(missing, stdin: false, tty: false, Ct));

        error.Message.ShouldStartWith($"attach to container {missing}: ");
        error.Message.ShouldContain(missing);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Attach_with_stdin_echoes_input_and_returns_exit_code(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.CreateAsync(TestEngine.Script("cat; echo done >&2; exit 5") with { OpenStdin = true, StdinOnce = true });
        await using var attached = await e.Client.Containers.AttachAsync(id, stdin: true, tty: false, Ct);
        await e.Client.Containers.StartAsync(id, Ct);

        await attached.WriteStdinAsync("line one\nline two\n"u8.ToArray(), Ct);
        attached.CloseStdin();
        var (stdout, stderr) = await attached.ReadAllTextAsync(Ct);

        stdout.ShouldBe("line one\nline two\n");
        stderr.ShouldBe("done\n");
        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(5);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Attach_without_stdin_streams_output_until_the_container_exits(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.CreateAsync(TestEngine.Script("echo out-1; echo err-1 >&2; echo out-2"));
        await using var attached = await e.Client.Containers.AttachAsync(id, stdin: false, tty: false, Ct);
        await e.Client.Containers.StartAsync(id, Ct);

        var (stdout, stderr) = await attached.ReadAllTextAsync(Ct);

        stdout.ShouldBe("out-1\nout-2\n");
        stderr.ShouldBe("err-1\n");
        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(0);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Attach_to_a_tty_container_reads_raw_terminal_output(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.CreateAsync(TestEngine.Script("tty; echo to-stderr >&2") with { Tty = true });
        await using var attached = await e.Client.Containers.AttachAsync(id, stdin: false, tty: true, Ct);
        await e.Client.Containers.StartAsync(id, Ct);

        var (stdout, stderr) = await attached.ReadAllTextAsync(Ct);

        attached.Tty.ShouldBeTrue();
        stdout.ShouldMatch(@"^/dev/pts/\d+\r\nto-stderr\r\n$", "a terminal merges stderr into stdout and ends lines with CR LF");
        stderr.ShouldBeEmpty();
        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(0);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Resize_sets_the_terminal_size_seen_inside_the_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        // The script waits for a line, so the size is read only after the resize below has been applied.
        var id = await scope.CreateAsync(TestEngine.Script("read -r _; echo \"size=$(stty size)\"") with { Tty = true, OpenStdin = true, StdinOnce = true });
        await using var attached = await e.Client.Containers.AttachAsync(id, stdin: true, tty: true, Ct);
        await e.Client.Containers.StartAsync(id, Ct);

        await e.Client.Containers.ResizeAsync(id, columns: 123, rows: 45, Ct);
        await attached.WriteStdinAsync("go\n"u8.ToArray(), Ct);
        var output = await ReadUntilEndAsync(attached);

        output.ShouldContain("size=45 123");
        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(0);
    }

    private static async Task<string> ReadUntilEndAsync(ProcessStream stream)
    {
        var text = new StringBuilder();
        await foreach (var chunk in stream.ReadOutputAsync(Ct))
        {
            text.Append(Encoding.UTF8.GetString(chunk.Data.Span));
        }

        return text.ToString();
    }
}
