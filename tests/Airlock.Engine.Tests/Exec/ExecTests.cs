using System.Text;
using Airlock.Engine.Errors;
using Airlock.Engine.Exec;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Exec;

[Trait("Category", "Integration")]
public sealed class ExecTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exec_of_a_succeeding_command_returns_exit_code_zero_and_its_output(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();

        var result = await e.Client.Exec.RunAsync(id, new ExecOptions { Command = ["echo", "hello from exec"] }, ct: Ct);

        result.ShouldBe(new ExecResult(0, "hello from exec\n", ""));
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exec_of_a_failing_command_returns_its_non_zero_exit_code(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();

        var result = await e.Client.Exec.RunAsync(id, new ExecOptions { Command = ["bash", "-c", "exit 7"] }, ct: Ct);

        result.ExitCode.ShouldBe(7);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exec_feeds_stdin_to_the_command_and_closes_it(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();

        var result = await e.Client.Exec.RunAsync(id, new ExecOptions { Command = ["wc", "-l"] }, "a\nb\nc\n"u8.ToArray(), Ct);

        result.ShouldBe(new ExecResult(0, "3\n", ""));
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exec_keeps_stderr_apart_from_stdout(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();

        var result = await e.Client.Exec.RunAsync(id, new ExecOptions { Command = ["bash", "-c", "echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2; exit 1"] }, ct: Ct);

        result.ShouldBe(new ExecResult(1, "out-1\nout-2\n", "err-1\nerr-2\n"));
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exec_runs_with_the_given_environment_user_and_working_directory(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();
        var options = new ExecOptions
        {
            Command = ["bash", "-c", "echo \"$GREETING|$(id -u):$(id -g)|$(pwd)\""],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hi there" },
            User = "1234:5678",
            WorkingDirectory = "/tmp",
        };

        var result = await e.Client.Exec.RunAsync(id, options, ct: Ct);

        result.ShouldBe(new ExecResult(0, "hi there|1234:5678|/tmp\n", ""));
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exec_with_a_tty_is_resized_and_reports_it_while_running(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();
        var execId = await e.Client.Exec.CreateAsync(id, new ExecOptions { Command = ["bash", "-c", "read -r _; echo \"size=$(stty size)\""], Tty = true, AttachStdin = true }, Ct);
        await using var stream = await e.Client.Exec.StartAsync(execId, tty: true, Ct);

        await e.Client.Exec.ResizeAsync(execId, columns: 91, rows: 27, Ct);
        (await e.Client.Exec.InspectAsync(execId, Ct)).Running.ShouldBeTrue();
        await stream.WriteStdinAsync("go\n"u8.ToArray(), Ct);
        var output = new StringBuilder();
        await foreach (var chunk in stream.ReadOutputAsync(Ct))
        {
            output.Append(Encoding.UTF8.GetString(chunk.Data.Span));
        }

        output.ToString().ShouldContain("size=27 91");
        (await e.Client.Exec.GetExitCodeAsync(execId, Ct)).ShouldBe(0);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exec_in_a_missing_container_throws_not_found(string engine)
    {
        var e = await fixture.ConnectAsync(engine);

        await Should.ThrowAsync<EngineNotFoundException>(
            () => e.Client.Exec.CreateAsync($"airlock-test-missing-{e.RunId}", new ExecOptions { Command = ["true"] }, Ct));
    }
}
