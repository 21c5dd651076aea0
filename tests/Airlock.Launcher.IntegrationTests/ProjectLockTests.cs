using System.Text.RegularExpressions;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>One sandbox per project at a time, unless --allow-concurrent; the lock goes when its holder ends or dies.</summary>
public sealed class ProjectLockTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Second_launch_in_a_busy_project_is_refused_naming_the_holder_unless_allow_concurrent(string engine)
    {
        // Its own AIRLOCK_HOME (with the shared image), so the snapshot below sees this test's lock files only.
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        await using var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" {ns} sleep 300; echo EXIT=$?"));
        var holder = await WaitForSessionAsync(ws);
        var before = await StateSnapshot.TakeAsync(ws);

        var refused = await ws.AirlockAsync(ns, "echo", "second");

        refused.ShouldBeUserError(ws.Project, "already in use", holder, "--allow-concurrent");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws), "a launch refused for the lock");

        var concurrent = (await ws.AirlockAsync(ns, "--allow-concurrent", "echo", "side-by-side")).ShouldSucceed();
        concurrent.Stdout.Trim().ShouldBe("side-by-side");

        await tmux.SendKeysAsync(tmux.Target, "C-c");
        await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "the first session to end");
        (await ws.AirlockAsync(ns, "echo", "after")).ShouldSucceed().Stdout.Trim().ShouldBe("after", "the lock is free once its holder ended");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Lock_of_a_killed_airlock_is_free_for_the_next_launch(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        using var holder = ws.Start([ns.Name, "sleep", "300"]);
        var orphan = await WaitForSessionAsync(ws);

        holder.Kill(); // SIGKILL: no clean-up runs in airlock
        await holder.WaitForExitAsync(TestContext.Current.CancellationToken);
        var next = await ws.AirlockAsync(ns.Name, "echo", "recovered");

        next.ShouldSucceed().Stdout.Trim().ShouldBe("recovered");
        (await Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}")).ShouldNotContain(orphan, "the crashed airlock's session is cleaned up by the next launch in the project");
        next.Message.ShouldContain(orphan, Case.Sensitive, "the next launch says it removed the crashed session");
    }

    /// <summary>Waits until one session of the workspace's project is running, and returns its name.</summary>
    private static async Task<string> WaitForSessionAsync(Workspace ws)
    {
        var sessions = await Poll.UntilAsync(
            async () => await ws.AirlockAsync("list", "sessions", "--json"),
            r => r.ExitCode == 0 && r.Stdout.Contains($"\"project\": \"{ws.Project}\"", StringComparison.Ordinal),
            "the first session to be running");
        return Regex.Matches(sessions.Stdout, "\"session\": \"(?<name>[^\"]+)\",\\s*\"namespace\": \"[^\"]+\",\\s*\"project\": \"" + Regex.Escape(ws.Project) + "\"")
            .Single().Groups["name"].Value;
    }
}
