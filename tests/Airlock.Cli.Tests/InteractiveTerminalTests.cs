using Airlock.Cli.Tests.Infrastructure;
using Airlock.Engine;
using Airlock.Engine.Containers;

namespace Airlock.Cli.Tests;

/// <summary>
/// <c>airlock engine run -it</c> and <c>engine exec -it</c> in a real terminal (tmux): the container sees the terminal's
/// size and its changes, keys reach it in raw mode, its exit code reaches the shell, and the terminal is restored
/// however the session ends.
/// </summary>
public sealed class InteractiveTerminalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A pane script: run airlock, then print its exit code and whether the terminal is back in cooked mode. The shell
    /// is non-interactive, so nothing but airlock touches the terminal settings.
    /// </summary>
    private static string Script(string engine, string airlockArgs) => $$"""
        export AIRLOCK_ENGINE={{engine}}
        unset DOCKER_HOST AIRLOCK_BASE_IMAGE
        '{{AirlockBinary.Path}}' {{airlockArgs}}
        echo "EXIT=$?"
        s=" $(stty -a | tr '\n;' '  ') "
        case "$s" in
          *" -icanon "*|*" -echo "*|*" -isig "*|*" -opost "*) echo TERMINAL=raw ;;
          *" icanon "*) echo TERMINAL=cooked ;;
          *) echo TERMINAL=unknown ;;
        esac
        """;

    private static string RunArgs(string testId, string rest) =>
        $"engine run -it --label {TestEngines.TestLabel}={testId} {TestEngines.BaseImage} {rest}";

    private static bool HasLine(string capture, string line) => TmuxSession.Lines(capture).Contains(line);

    private static bool HasPrompt(string capture) => capture.Contains("root@", StringComparison.Ordinal);

    private static int Prompts(string capture) => System.Text.RegularExpressions.Regex.Count(capture, "root@");

    private static bool Finished(string capture) => capture.Contains("TERMINAL=", StringComparison.Ordinal);

    /// <summary>The <c>EXIT=N</c> the pane script printed (after a killed shell it may follow the last prompt on one line).</summary>
    private static string ExitLine(string capture) =>
        System.Text.RegularExpressions.Regex.Matches(capture, @"EXIT=\d+").LastOrDefault()?.Value ?? "(no EXIT= line)";

    /// <summary>Types <c>stty size</c> until the process inside reports <paramref name="expected"/> (resizes arrive asynchronously).</summary>
    private static Task ExpectSizeAsync(TmuxSession tmux, string expected) =>
        Poll.UntilAsync(
            async () =>
            {
                await tmux.TypeLineAsync("stty size");
                try
                {
                    return await tmux.WaitForAsync(c => HasLine(c, expected), $"'{expected}' from stty size", TimeSpan.FromSeconds(2));
                }
                catch (TimeoutException ex)
                {
                    return ex.Message;
                }
            },
            c => HasLine(c, expected),
            Patience,
            $"stty size to print '{expected}'");

    private static async Task WithEngineAsync(string engine, Func<EngineClient, string, Task> test)
    {
        using var client = await TestEngines.ConnectAsync(engine);
        var testId = TestEngines.NewTestId();
        try
        {
            await test(client, testId);
            (await TestEngines.ContainersOfAsync(client, testId)).ShouldBeEmpty("airlock left a container behind");
        }
        finally
        {
            await TestEngines.RemoveLeftoversAsync(client, testId);
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Run_it_sees_the_terminal_size_follows_resizes_and_passes_the_exit_code(string engine) =>
        WithEngineAsync(engine, async (_, id) =>
        {
            await using var tmux = await TmuxSession.StartAsync(Script(engine, RunArgs(id, "bash")), 100, 30);
            await tmux.WaitForAsync(HasPrompt, "the container's bash prompt", Patience);

            await ExpectSizeAsync(tmux, "30 100");
            await tmux.ResizeAsync(120, 40);
            await ExpectSizeAsync(tmux, "40 120");

            await tmux.TypeLineAsync("exit 42");
            var screen = await tmux.WaitForAsync(Finished, "airlock to exit", Patience);

            ExitLine(screen).ShouldBe("EXIT=42", screen);
            screen.ShouldContain("TERMINAL=cooked");
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Run_it_sends_ctrl_c_to_the_container_not_to_airlock(string engine) =>
        WithEngineAsync(engine, async (_, id) =>
        {
            await using var tmux = await TmuxSession.StartAsync(Script(engine, RunArgs(id, "bash")), 100, 30);
            await tmux.WaitForAsync(HasPrompt, "the container's bash prompt", Patience);

            // The typed line is echoed before the shell runs it; the marker's computed value shows it is running.
            await tmux.TypeLineAsync("echo started-$((40+2)); sleep 300; echo sleep-ended-$?");
            var before = await tmux.WaitForAsync(c => HasLine(c, "started-42"), "the container's shell to start the command", Patience);
            await tmux.SendKeysAsync(tmux.Target, "C-c");
            // Ctrl-C flushes what was typed ahead in the container's terminal: wait for the shell's next prompt first.
            await tmux.WaitForAsync(c => Prompts(c) > Prompts(before), "a new prompt after Ctrl-C", Patience);
            await tmux.TypeLineAsync("echo still-$((40+2))");
            await tmux.WaitForAsync(c => HasLine(c, "still-42"), "the shell in the container to survive Ctrl-C", Patience);

            await tmux.TypeLineAsync("exit 3");
            var screen = await tmux.WaitForAsync(Finished, "airlock to exit", Patience);
            ExitLine(screen).ShouldBe("EXIT=3", screen);
            screen.ShouldContain("TERMINAL=cooked");
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Container_killed_from_outside_ends_the_session_with_its_code_and_restores_the_terminal(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            await using var tmux = await TmuxSession.StartAsync(Script(engine, RunArgs(id, "bash")), 100, 30);
            await tmux.WaitForAsync(HasPrompt, "the container's bash prompt", Patience);

            var container = (await TestEngines.ContainersOfAsync(client, id)).ShouldHaveSingleItem();
            await client.Containers.KillAsync(container, "KILL");

            var screen = await tmux.WaitForAsync(Finished, "airlock to exit", Patience);
            ExitLine(screen).ShouldBe("EXIT=137", screen);
            screen.ShouldContain("TERMINAL=cooked");
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Sigterm_to_airlock_in_raw_mode_removes_the_container_and_restores_the_terminal(string engine) =>
        WithEngineAsync(engine, async (_, id) =>
        {
            await using var tmux = await TmuxSession.StartAsync(Script(engine, RunArgs(id, "bash")), 100, 30);
            await tmux.WaitForAsync(HasPrompt, "the container's bash prompt", Patience);

            Signal(AirlockProcessWith(id), "TERM");

            var screen = await tmux.WaitForAsync(Finished, "airlock to exit", Patience);
            ExitLine(screen).ShouldBe("EXIT=143", screen);
            screen.ShouldContain("TERMINAL=cooked");
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Closing_the_terminal_hangs_up_airlock_which_removes_the_container(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            var tmux = await TmuxSession.StartAsync(Script(engine, RunArgs(id, "bash")), 100, 30);
            try
            {
                await tmux.WaitForAsync(HasPrompt, "the container's bash prompt", Patience);
            }
            finally
            {
                await tmux.DisposeAsync(); // kills the tmux server: the terminal goes away, airlock gets SIGHUP
            }

            await Poll.UntilAsync(
                () => TestEngines.ContainersOfAsync(client, id),
                left => left.Count == 0,
                Patience,
                "airlock to remove its container after the hang-up");
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Ctrl_c_without_a_terminal_session_cancels_and_removes_the_container(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            var args = $"engine run --label {TestEngines.TestLabel}={id} {TestEngines.BaseImage} sleep 300";
            await using var tmux = await TmuxSession.StartAsync(Script(engine, args), 100, 30);
            await Poll.UntilAsync(
                async () => (await client.Containers.ListAsync([$"{TestEngines.TestLabel}={id}"], all: false)).Count,
                running => running == 1,
                Patience,
                "the container to run");

            await tmux.SendKeysAsync(tmux.Target, "C-c");

            var screen = await tmux.WaitForAsync(Finished, "airlock to exit", Patience);
            ExitLine(screen).ShouldBe("EXIT=130", screen);
            screen.ShouldContain("TERMINAL=cooked");
        });

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public Task Exec_it_in_a_running_container_sees_size_and_resizes_and_passes_the_exit_code(string engine) =>
        WithEngineAsync(engine, async (client, id) =>
        {
            var container = await client.Containers.CreateAsync(new ContainerCreateOptions
            {
                Image = TestEngines.BaseImage,
                Command = ["sleep", "300"],
                Labels = new Dictionary<string, string> { [TestEngines.TestLabel] = id },
                Init = true,
            });
            try
            {
                await client.Containers.StartAsync(container);
                await using var tmux = await TmuxSession.StartAsync(Script(engine, $"engine exec -it {container} bash"), 90, 25);
                await tmux.WaitForAsync(HasPrompt, "bash's prompt in the exec", Patience);

                await ExpectSizeAsync(tmux, "25 90");
                await tmux.ResizeAsync(110, 35);
                await ExpectSizeAsync(tmux, "35 110");

                await tmux.TypeLineAsync("exit 5");
                var screen = await tmux.WaitForAsync(Finished, "airlock to exit", Patience);
                ExitLine(screen).ShouldBe("EXIT=5", screen);
                screen.ShouldContain("TERMINAL=cooked");
            }
            finally
            {
                await client.Containers.RemoveIfExistsAsync(container);
            }
        });

    [Fact]
    public async Task Doctor_in_a_terminal_uses_ticks_and_with_NO_COLOR_plain_words()
    {
        var script = $"""
            export AIRLOCK_ENGINE=podman LANG=C.UTF-8
            '{AirlockBinary.Path}' doctor
            NO_COLOR=1 '{AirlockBinary.Path}' doctor
            echo "EXIT=$?"
            echo TERMINAL=done
            """;
        await using var tmux = await TmuxSession.StartAsync(script, 160, 60);
        var screen = await tmux.WaitForAsync(Finished, "both doctor runs", Patience);

        screen.ShouldContain("✔ podman");
        screen.ShouldContain("ok: podman");
        ExitLine(screen).ShouldBe("EXIT=0", screen);
    }

    /// <summary>The airlock process whose command line carries the test's unique label.</summary>
    private static int AirlockProcessWith(string testId)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (cmdline.Length > 0 && cmdline[0].EndsWith("airlock", StringComparison.Ordinal) && cmdline.Any(a => a.Contains(testId, StringComparison.Ordinal)))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        throw new InvalidOperationException($"no airlock process with {testId} in its command line");
    }

    private static void Signal(int pid, string signal) =>
        ProcessRunner.Run("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(5)).ShouldSucceed();
}
