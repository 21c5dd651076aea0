using System.Text.RegularExpressions;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>
/// Issue 14, item 1 through the real client in a real terminal (tmux): <c>airlock sandbox exec</c> shows output while
/// the command runs and Ctrl-C kills the command in the sandbox; <c>airlock sandbox shell</c> is an interactive terminal
/// with the window's size, following resizes, passing the exit code and restoring the terminal.
/// </summary>
public sealed class SandboxTerminalCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A pane script: airlock against the server with the key, then its exit code and the terminal's mode.</summary>
    private static string Script(ServeProcess server, string key, string args) => $$"""
        export AIRLOCK_HOME='{{server.Home.FullName}}' AIRLOCK_SERVER='{{server.Address}}' AIRLOCK_TOKEN='{{key}}' NO_COLOR=1
        '{{AirlockBinary.Path}}' {{args}}
        echo "EXIT=$?"
        case " $(stty -a | tr '\n;' '  ') " in
          *" -icanon "*|*" -echo "*) echo TERMINAL=raw ;;
          *" icanon "*) echo TERMINAL=cooked ;;
          *) echo TERMINAL=unknown ;;
        esac
        """;

    private static bool HasLine(string capture, string line) => TmuxSession.Lines(capture).Contains(line);

    private static bool Finished(string capture) => capture.Contains("TERMINAL=", StringComparison.Ordinal);

    private static string ExitLine(string capture) => Regex.Matches(capture, @"EXIT=\d+").LastOrDefault()?.Value ?? "(no EXIT= line)";

    private static async Task<(ServeProcess Server, string Operator)> StartWithSandboxAsync(string engine)
    {
        var server = await ServeProcess.StartAsync(engine);
        var (_, op, _) = await server.NewTenantWithKeysAsync("term");
        await ServeProcess.Ok(server.RunAsync(op, "sandbox", "create", "box", "--image", TestEngines.BaseImage, "--cpus", "0.25", "-m", "64m", "--", "sleep", "infinity"));
        return (server, op);
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Sandbox_exec_shows_output_while_the_command_runs_and_ctrl_c_kills_it(string engine)
    {
        var (server, op) = await StartWithSandboxAsync(engine);
        await using (server)
        {
            // The second line comes only after the test has seen the first on the screen and made the file it waits for.
            var script = "echo first-$((40+2)); while [ ! -e /tmp/go ]; do sleep 0.1; done; echo second-$((40+2)); exec sleep 960";
            await using var tmux = await TmuxSession.StartAsync(Script(server, op, $"sandbox exec box -- sh -c '{script}'"), 100, 30);
            await tmux.WaitForAsync(c => HasLine(c, "first-42"), "the first line while the command still runs", Patience);
            await ServeProcess.Ok(server.RunAsync(op, "sandbox", "exec", "box", "--", "touch", "/tmp/go"));
            await tmux.WaitForAsync(c => HasLine(c, "second-42"), "the second line", Patience);
            await Poll.UntilAsync(() => ServeProcess.Ok(server.RunAsync(op, "sandbox", "exec", "box", "--", "sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '")),
                lines => lines.Contains("sleep 960", StringComparison.Ordinal), "the command to be sleeping");

            await tmux.SendKeysAsync(tmux.Target, "C-c");
            await tmux.WaitForAsync(Finished, "airlock to exit after Ctrl-C", Patience);
            await Poll.UntilAsync(() => ServeProcess.Ok(server.RunAsync(op, "sandbox", "exec", "box", "--", "sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '")),
                lines => !lines.Contains("sleep 960", StringComparison.Ordinal), "the command to be killed in the sandbox");
        }
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Sandbox_shell_is_a_terminal_of_the_windows_size_that_follows_resizes_and_passes_the_exit_code(string engine)
    {
        var (server, op) = await StartWithSandboxAsync(engine);
        await using (server)
        {
            await using var tmux = await TmuxSession.StartAsync(Script(server, op, "sandbox shell box"), 100, 30);
            await tmux.TypeLineAsync("echo ready-$((40+2)); tty");
            // tty(1) answers after the echo: waited for together, so the check never reads the screen between the two.
            await tmux.WaitForAsync(c => HasLine(c, "ready-42") && TmuxSession.Lines(c).Any(l => l.StartsWith("/dev/pts/", StringComparison.Ordinal)), "the sandbox's shell on a pseudo-terminal", Patience);

            await ExpectSizeAsync(tmux, "30 100");
            await tmux.ResizeAsync(120, 40);
            await ExpectSizeAsync(tmux, "40 120");

            await tmux.TypeLineAsync("exit 42");
            var screen = await tmux.WaitForAsync(Finished, "airlock to exit", Patience);
            ExitLine(screen).ShouldBe("EXIT=42", screen);
            screen.ShouldContain("TERMINAL=cooked");
        }
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Sandbox_shell_without_a_terminal_passes_stdin_through_and_keeps_stderr_apart(string engine)
    {
        var (server, op) = await StartWithSandboxAsync(engine);
        await using (server)
        {
            var (code, stdout, stderr) = await server.RunAsync(op, new Dictionary<string, string?>(), "echo piped-in; echo oops >&2; exit 4\n", "sandbox", "shell", "box", "--", "sh");
            code.ShouldBe(4, stderr);
            stdout.ShouldBe("piped-in\n");
            stderr.ShouldBe("oops\n");

            var stopped = await server.RunAsync(op, "sandbox", "stop", "box");
            stopped.Code.ShouldBe(0, stopped.Stderr);
            var refused = await server.RunAsync(op, new Dictionary<string, string?>(), "", "sandbox", "shell", "box");
            refused.Code.ShouldBe(2);
            refused.Stderr.ShouldContain("airlock sandbox start box");
        }
    }

    /// <summary>Types <c>stty size</c> until the shell reports <paramref name="expected"/> (a resize arrives asynchronously).</summary>
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
}
