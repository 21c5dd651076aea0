using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// A session leaves nothing in the engine once airlock has exited: neither its sandbox nor the network guard holding the
/// sandbox's network. On podman 4.3 a guard removal cut short (a removal request whose client went away) left the guard
/// stuck in "Removing", and every network look-up of the engine failed after it, for every launch and every user.
/// </summary>
public sealed class SessionEndTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Finished_sessions_leave_neither_their_sandbox_nor_their_guard_and_the_next_launch_works(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));

        for (var i = 0; i < 3; i++)
        {
            (await ws.AirlockAsync(ns, "sh", "-c", $"echo run-{i}")).ShouldSucceed().Stdout.ShouldContain($"run-{i}");
        }

        // Removal may finish after airlock exits (podman's network teardown is left to the engine): wait for it, bounded.
        var left = await Poll.UntilAsync(
            () => Engines.CliAsync(engine, "ps", "-a", "--filter", $"name=airlock-{ns}-", "--format", "{{.Names}} {{.Status}}"),
            r => r.ExitCode != 0 || r.Stdout.Trim().Length == 0,
            "the engine to remove the sessions' sandboxes and guards",
            TimeSpan.FromSeconds(60));
        left.ShouldSucceed().Stdout.Trim().ShouldBeEmpty("containers of finished sessions are still there");
        (await Engines.CliAsync(engine, "network", "inspect", engine == Engines.Podman ? "podman" : "bridge")).ShouldSucceed();
    }
}
