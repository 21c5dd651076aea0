using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>Issue 11, item 3: a launch chooses its isolation level, and gVisor's kernel is what runs the sandbox then.</summary>
public sealed class IsolationLevelTests(SharedNamespaces shared)
{
    /// <summary>gVisor answers /proc/version with its own kernel, not the host's.</summary>
    private const string GvisorKernel = "Linux version 4.4.0";

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_with_isolation_gvisor_runs_the_command_on_gVisors_kernel(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = ws.NewNamespaceName();

        var launch = (await ws.RunAsync([ns, "--create", "base", "--isolation", "gvisor", "--", "cat", "/proc/version"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();
        var plain = (await ws.AirlockAsync(ns, "cat", "/proc/version")).ShouldSucceed();

        launch.Stdout.ShouldContain(GvisorKernel, Case.Sensitive, launch.ToString());
        plain.Stdout.ShouldNotContain(GvisorKernel, Case.Sensitive, "without --isolation the namespace runs as a container: " + plain);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_namespaces_isolation_setting_is_used_and_the_flag_wins_over_it(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine), "isolation: gvisor");

        var configured = (await ws.AirlockAsync(ns, "cat", "/proc/version")).ShouldSucceed();
        var flagged = (await ws.AirlockAsync(ns, "--isolation", "container", "cat", "/proc/version")).ShouldSucceed();
        var dry = (await ws.AirlockAsync(ns, "--dry-run", "true")).ShouldSucceed();

        configured.Stdout.ShouldContain(GvisorKernel, Case.Sensitive, configured.ToString());
        flagged.Stdout.ShouldNotContain(GvisorKernel, Case.Sensitive, flagged.ToString());
        JsonNode.Parse(dry.Stdout)!["spec"]!["isolation"]!.GetValue<string>().ShouldBe("gvisor");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task An_unknown_level_is_refused_naming_the_flag_and_the_levels_before_anything_is_made(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.NewNamespaceName();
        var before = await StateSnapshot.TakeAsync(ws, ns);

        var launch = await ws.AirlockAsync(ns, "--create", "base", "--isolation", "vm", "true");

        launch.ShouldBeUserError("--isolation", "'vm' is not an isolation level (container, gvisor)");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, ns), "a refused --isolation");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task List_sessions_shows_each_sessions_level(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        var started = Path.Combine(ws.Project, "it-started");
        var stop = Path.Combine(ws.Project, "it-stop");
        var running = ws.AirlockAsync(ns.Name, "--isolation", "gvisor", "sh", "-c", $"touch {started}; while [ ! -e {stop} ]; do sleep 0.2; done");
        for (var i = 0; i < 600 && !File.Exists(started) && !running.IsCompleted; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var json = (await ws.RunAsync(["list", "sessions", "--json"])).ShouldSucceed();
        var table = (await ws.RunAsync(["list", "sessions"])).ShouldSucceed();
        await File.WriteAllTextAsync(stop, "", TestContext.Current.CancellationToken);
        (await running).ShouldSucceed();

        var sessions = JsonNode.Parse(json.Stdout)!.AsArray().Where(s => s!["project"]!.GetValue<string>() == ws.Project).ToList();
        sessions.ShouldHaveSingleItem(json.ToString())!["isolation"]!.GetValue<string>().ShouldBe("gvisor");
        table.Stdout.ShouldContain("ISOLATION", Case.Sensitive, table.ToString());
        table.Stdout.ShouldContain("gvisor", Case.Sensitive, table.ToString());
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task The_project_and_home_are_listed_read_and_written_at_every_level(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await File.WriteAllTextAsync(Path.Combine(ws.Project, "from-host.txt"), "host\n", TestContext.Current.CancellationToken);

        // ls -l and stat ask statx with AT_NO_AUTOMOUNT, which Debian 12's own runsc refused (EINVAL) on every file.
        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "sh", "-c",
            "ls -l from-host.txt && stat -c 'size=%s' from-host.txt && cat from-host.txt && echo sandbox > from-sandbox.txt && ls -ld ~ && echo done")).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain("size=5", result.ToString());
        lines.ShouldContain("host", result.ToString());
        lines.ShouldContain("done", result.ToString());
        result.Stderr.ShouldNotContain("Invalid argument", Case.Sensitive, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(ws.Project, "from-sandbox.txt"), TestContext.Current.CancellationToken)).ShouldBe("sandbox\n");
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Programs_that_start_threads_work_at_every_level(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        // git resolves a name on a thread of its own; a refused clone3 that libc does not fall back from stops it
        // ("getaddrinfo() thread failed to start"), as it stops node, Python's threads and .NET.
        // No network, so that git resolves the name itself (in allowlist mode the proxy would).
        var result = await ws.AirlockAsync(ns.Name, "--isolation", level, "--network", "none", "git", "ls-remote", "https://airlock-test.invalid/repo");

        result.Stderr.ShouldNotContain("thread failed to start", Case.Sensitive, result.ToString());
        result.Stderr.ShouldContain("Could not resolve host", Case.Sensitive, result.ToString());
    }
}
