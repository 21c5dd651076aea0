using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Breaches;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Api;

/// <summary>
/// Issue 14, item 1: a command's output streams as it comes (stdout and stderr apart, the exit code last), a terminal
/// over a WebSocket with resize, and a command whose client hangs up is killed, on both engines (and both stores for
/// the stream itself).
/// </summary>
public sealed class StreamingExecTests
{
    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.WithEachEngine), MemberType = typeof(Stores))]
    public async Task Output_is_seen_line_by_line_while_the_command_still_runs(string engine, string store)
    {
        await using var server = await ServerHarness.StartAsync(store, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        // The command prints a line, then waits for a file only the test makes once it has seen that line: if output
        // came only at the end, the test would never see it and the command would never end.
        const string script = "i=1; while [ $i -le 3 ]; do echo line $i; while [ ! -e /tmp/go-$i ]; do sleep 0.05; done; i=$((i+1)); done; echo done >&2; exit 5";
        await using var stream = await ExecStream.OpenAsync(tenant.Operator, id, new { command = new[] { "sh", "-c", script } });
        for (var i = 1; i <= 3; i++)
        {
            var line = await stream.NextAsync();
            line["type"]!.GetValue<string>().ShouldBe("stdout");
            line["data"]!.GetValue<string>().ShouldBe($"line {i}\n");
            await TenantCalls.ExecAsync(tenant, id, $"touch /tmp/go-{i}");
        }

        var stderr = await stream.NextAsync();
        stderr["type"]!.GetValue<string>().ShouldBe("stderr");
        stderr["data"]!.GetValue<string>().ShouldBe("done\n");
        var exit = await stream.NextAsync();
        exit["type"]!.GetValue<string>().ShouldBe("exit");
        exit["exitCode"]!.GetValue<int>().ShouldBe(5);
        exit["timedOut"]!.GetValue<bool>().ShouldBeFalse();
        (await stream.EndedAsync()).ShouldBeTrue();
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_streamed_command_gets_its_stdin_and_a_character_split_across_reads_arrives_whole(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        // "é" is two bytes; printf writes them apart, with a pause, so the engine hands them over in two reads.
        await using var stream = await ExecStream.OpenAsync(tenant.Operator, id, new
        {
            command = new[] { "sh", "-c", "read x; printf 'got %s\\n' \"$x\"; printf '\\303'; sleep 0.3; printf '\\251\\n'" },
            stdin = "fed\n",
        });
        var text = new StringBuilder();
        JsonNode line;
        while ((line = await stream.NextAsync())["type"]!.GetValue<string>() == "stdout")
        {
            text.Append(line["data"]!.GetValue<string>());
        }

        text.ToString().ShouldBe("got fed\né\n");
        line["exitCode"]!.GetValue<int>().ShouldBe(0);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Hanging_up_on_a_streamed_command_kills_it_and_frees_its_place(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        // Every exec place is taken by a streamed command, each with a child of its own; then the client hangs up on all.
        var streams = new List<ExecStream>();
        for (var i = 0; i < ServerLimits.MaxExecsPerTenant; i++)
        {
            var stream = await ExecStream.OpenAsync(tenant.Operator, id, new { command = new[] { "sh", "-c", $"sleep 70{i} & echo started; exec sleep 80{i}" } });
            (await stream.NextAsync())["data"]!.GetValue<string>().ShouldBe("started\n");
            streams.Add(stream);
        }

        await SandboxProcesses.RunningAsync(server, id, "sleep 800");
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }

        for (var i = 0; i < ServerLimits.MaxExecsPerTenant; i++)
        {
            await SandboxProcesses.GoneAsync(server, id, $"sleep 80{i}");
            await SandboxProcesses.GoneAsync(server, id, $"sleep 70{i}");
        }

        // Their places are free again once the killed commands' output has ended.
        await Poll.UntilAsync(
            async () => (int)(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" } }, Ct)).StatusCode,
            status => status == 200,
            "an exec place to be free again");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_streamed_command_past_its_time_limit_is_killed_and_says_so_last(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        await using var stream = await ExecStream.OpenAsync(tenant.Operator, id, new { command = new[] { "sh", "-c", "echo started; exec sleep 900" }, timeoutSeconds = 1 });
        (await stream.NextAsync())["data"]!.GetValue<string>().ShouldBe("started\n");
        var last = await stream.NextAsync();
        last["type"]!.GetValue<string>().ShouldBe("exit");
        last["timedOut"]!.GetValue<bool>().ShouldBeTrue();
        last["exitCode"].ShouldBeNull();
        await SandboxProcesses.GoneAsync(server, id, "sleep 900");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_streamed_exec_refuses_bad_input_and_missing_sandboxes_before_it_starts(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec/stream", new { command = Array.Empty<string>() }, Ct), "exec.command");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec/stream", new { command = new[] { "true" }, timeoutSeconds = 0 }, Ct), "exec.timeoutSeconds");
        await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes/sbx_missing/exec/stream", new { command = new[] { "true" } }, Ct), 404);
        await Expect.ProblemAsync(await tenant.Viewer.PostAsJsonAsync($"/v1/sandboxes/{id}/exec/stream", new { command = new[] { "true" } }, Ct), 403);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_terminal_over_a_websocket_has_a_tty_follows_resizes_and_ends_with_the_exit_code(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        await using var terminal = await TerminalSocket.OpenAsync(server, tenant.Keys["operator"], id, new { command = new[] { "sh" }, columns = 91, rows = 27 });
        await terminal.SendAsync("tty -s && echo is-a-tty; stty size\n");
        await terminal.ReadUntilAsync("27 91");
        await terminal.ResizeAsync(132, 43);
        await terminal.SendAsync("stty size\n");
        await terminal.ReadUntilAsync("43 132");
        (await terminal.OutputSoFar()).ShouldContain("is-a-tty");
        await terminal.SendAsync("exit 3\n");
        var last = await terminal.ReadEndAsync();
        last["type"]!.GetValue<string>().ShouldBe("exit");
        last["exitCode"]!.GetValue<int>().ShouldBe(3);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Closing_a_terminal_kills_its_command(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        var terminal = await TerminalSocket.OpenAsync(server, tenant.Keys["operator"], id, new { command = new[] { "sh" } });
        await terminal.SendAsync("sleep 950\n");
        await SandboxProcesses.RunningAsync(server, id, "sleep 950");
        await terminal.DisposeAsync();
        await SandboxProcesses.GoneAsync(server, id, "sleep 950");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_terminal_without_a_tty_keeps_stderr_apart_and_takes_eof(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        await using var terminal = await TerminalSocket.OpenAsync(server, tenant.Keys["operator"], id, new { command = new[] { "sh", "-c", "cat; echo bye >&2" }, tty = false });
        await terminal.SendAsync("through cat\n");
        await terminal.ReadUntilAsync("through cat");
        await terminal.SendControlAsync(new { type = "eof" });
        var last = await terminal.ReadEndAsync();
        last["exitCode"]!.GetValue<int>().ShouldBe(0);
        terminal.Stderr.ShouldBe("bye\n");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_terminal_with_a_bad_first_message_is_closed_with_a_problem_naming_the_field(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        await using var terminal = await TerminalSocket.OpenAsync(server, tenant.Keys["operator"], id, new { command = new[] { "sh" }, columns = 100_000 });
        var last = await terminal.ReadEndAsync();
        last["type"]!.GetValue<string>().ShouldBe("error");
        last["status"]!.GetValue<int>().ShouldBe(400);
        last["detail"]!.GetValue<string>().ShouldContain("terminal.columns");

        // A viewer may not open one, and a plain GET is told it needs a WebSocket.
        var refused = await Should.ThrowAsync<WebSocketException>(() => TerminalSocket.OpenAsync(server, tenant.Keys["viewer"], id, new { command = new[] { "sh" } }));
        refused.Message.ShouldContain("403");
        (await Expect.ProblemAsync(await tenant.Operator.GetAsync($"/v1/sandboxes/{id}/terminal", Ct), 400))["detail"]!.GetValue<string>().ShouldContain("WebSocket");
    }
}
