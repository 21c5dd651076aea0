using System.Diagnostics;
using System.Text.RegularExpressions;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>The launcher in a real terminal (tmux), as a person uses it: a shell, its size, exit codes, --join, Ctrl-C.</summary>
public sealed class InteractiveTerminalTests(SharedNamespaces shared)
{
    /// <summary>The base template's prompt: <c>airlock:NAMESPACE DIR $</c> (# as root).</summary>
    private static bool HasPrompt(string capture, string ns) => capture.Contains($"airlock:{ns} ", StringComparison.Ordinal);

    private static bool HasLine(string capture, string line) => TmuxSession.Lines(capture).Contains(line);

    private static string ExitLine(string capture) => Regex.Matches(capture, @"EXIT=\d+").LastOrDefault()?.Value ?? "(no EXIT= line)";

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Shell_sees_the_terminal_size_follows_resizes_and_passes_its_exit_code(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" {ns.Name}; echo EXIT=$?"), columns: 120, rows: 40);
        await tmux.WaitForAsync(c => HasPrompt(c, ns.Name), "the sandbox shell's prompt");

        await ExpectSizeAsync(tmux, "40 120");
        await tmux.ResizeAsync(100, 30);
        await ExpectSizeAsync(tmux, "30 100");
        await tmux.TypeLineAsync("exit 3");

        var end = await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "airlock to exit");
        ExitLine(end).ShouldBe("EXIT=3", end);
        // Once the exit code is read, airlock hands the removal to the engine instead of waiting for it.
        await Poll.UntilAsync(
            () => Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}"), c => c.Count == 0, "the engine to remove the ended session's container");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Join_execs_into_the_running_session(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" {ns.Name}; echo EXIT=$?"));
        await tmux.WaitForAsync(c => HasPrompt(c, ns.Name), "the first session's prompt");
        var marker = "joined-" + Names.Hex(4);
        await tmux.TypeLineAsync($"echo {marker} > /tmp/join-marker; echo WROTE-$((40+2))");
        await tmux.WaitForAsync(c => HasLine(c, "WROTE-42"), "the marker to be written");
        var session = (await Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}")).Single();
        var listed = (await ws.AirlockAsync("list", "sessions", "--json")).ShouldSucceed();
        listed.Stdout.ShouldContain($"\"session\": \"{session}\"");

        var join = await tmux.OpenWindowAsync(ws.Script($"\"$AIRLOCK\" {ns.Name} --join {session}; echo EXIT=$?"));
        await tmux.WaitForAsync(c => HasPrompt(c, ns.Name), "the joined shell's prompt", join);
        await tmux.TypeLineAsync("cat /tmp/join-marker; echo READ-$((40+2))", join);
        var seen = await tmux.WaitForAsync(c => HasLine(c, "READ-42"), "the marker to be read in the joined shell", join);
        TmuxSession.Lines(seen).ShouldContain(marker, "the joined shell is in the same container");
        await tmux.TypeLineAsync("exit 6", join);
        ExitLine(await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "the join to end", join)).ShouldBe("EXIT=6");

        (await Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}")).ShouldBe([session], "leaving a join leaves the session running");
        await tmux.TypeLineAsync("exit");
        ExitLine(await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "the session to end")).ShouldBe("EXIT=0");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Ctrl_c_ends_the_command_and_airlock_and_removes_the_container(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        // Ctrl-C once the command runs (a marker it computes), not once its container exists: a key pressed while the
        // sandbox is still starting is Airlock's to handle (Ctrl_c_while_the_sandbox_starts_...), not the command's.
        await using var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" {ns.Name} sh -c 'echo RUNNING-$((40+2)); exec sleep 100'; echo EXIT=$?"));
        await tmux.WaitForAsync(c => HasLine(c, "RUNNING-42"), "the command to run in the sandbox");
        var started = Stopwatch.StartNew();

        await tmux.SendKeysAsync(tmux.Target, "C-c");

        var end = await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "airlock to exit after Ctrl-C");
        ExitLine(end).ShouldBe("EXIT=130", "128 + SIGINT, passed through from the command");
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90), "Ctrl-C must end the session, not wait for sleep 100");
        // The command ended by itself (SIGINT inside), so its exit code was read and the removal handed to the engine.
        await Poll.UntilAsync(
            () => Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}"), c => c.Count == 0, "the engine to remove the session's container");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Ctrl_c_while_the_sandbox_starts_cancels_the_launch_and_removes_the_container(string engine)
    {
        var image = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        // Its init gets 1% of a CPU, so it takes long to put its signal handling in place, as on a loaded machine: a
        // Ctrl-C forwarded the moment the container starts is then lost for sure, not now and then.
        var ns = ws.BorrowNamespace(image, "limits:\n  cpus: 0.01");
        await using var gate = new EngineStartGate(engine);
        ws.Env["AIRLOCK_ENGINE"] = gate.Address;
        await using var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" {ns} sh -c 'echo RUNNING-$((40+2)); exec sleep 100'; echo EXIT=$?"));
        await gate.StartHeld.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        await tmux.SendKeysAsync(tmux.Target, "C-c");

        var gaveUp = true;
        try
        {
            // Airlock gives the start up when it takes the Ctrl-C.
            await gate.StartAbandoned.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            // One that kept the key as a byte for the container waits on: let its start through, as a slow engine would,
            // so the test ends with what became of the key.
            gaveUp = false;
        }

        gate.Release();
        var end = await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "airlock to exit after Ctrl-C");
        gaveUp.ShouldBeTrue($"Ctrl-C while the sandbox was starting must cancel the launch (the start never sent), not wait to be forwarded to a container whose init may drop it:\n{end}");
        ExitLine(end).ShouldBe("EXIT=130", "Ctrl-C during the start ends airlock with 128 + SIGINT");
        TmuxSession.Lines(end).ShouldNotContain("RUNNING-42", "the command of a cancelled launch must not run");
        await Poll.UntilAsync(
            () => Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}"), c => c.Count == 0, "airlock to remove the cancelled session's container");
    }

    /// <summary>Types <c>stty size</c> until the shell inside reports <paramref name="expected"/> (resizes arrive asynchronously).</summary>
    private static async Task ExpectSizeAsync(TmuxSession tmux, string expected)
    {
        await Poll.UntilAsync(
            async () =>
            {
                await tmux.TypeLineAsync("stty size");
                try
                {
                    return await tmux.WaitForAsync(c => HasLine(c, expected), $"'{expected}'", timeout: TimeSpan.FromSeconds(3));
                }
                catch (TimeoutException ex)
                {
                    return ex.Message;
                }
            },
            c => HasLine(c, expected),
            $"stty size to print '{expected}'");
    }
}
