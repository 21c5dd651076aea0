using System.Globalization;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10, item 12: what a sandbox got by default that it should not have: the host's AWS keys through the claude
/// preset, credentials kept in ~/.gitconfig, all of the host's CPUs and its disk, and a way to hang the session by
/// tracing or rewriting its init.
/// </summary>
public sealed class WallDefaultsTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_claude_preset_forwards_AWS_keys_only_when_Bedrock_is_switched_on(string engine)
    {
        await using var ws = Workspace.Create(engine);
        // allowlist, as new namespaces are: the provider key goes in as a secret (a placeholder), which open would leave out.
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine), "network: allowlist");
        // A fake claude (the real one needs the 2 GB agents image): a script on the sandbox's PATH that prints what it got.
        File.SetUnixFileMode(ws.Write("project/bin/claude", "#!/bin/sh\nenv | cut -d= -f1 | grep -xE 'AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_REGION|ANTHROPIC_API_KEY|CLAUDE_CODE_USE_BEDROCK' | sort\n"), (UnixFileMode)0b111_101_101);
        var host = new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = "sk-it",
            ["AWS_ACCESS_KEY_ID"] = "AKIA-it",
            ["AWS_SECRET_ACCESS_KEY"] = "it-secret",
            ["AWS_REGION"] = "eu-west-1",
            ["CLAUDE_CODE_USE_BEDROCK"] = null,
        };
        string[] run = ["run", "-n", ns, "-e", $"PATH={ws.Project}/bin:/usr/bin:/bin", "claude"];

        var direct = (await ws.RunAsync(run, env: host)).ShouldSucceed();
        var bedrock = (await ws.RunAsync(run, env: new Dictionary<string, string?>(host) { ["CLAUDE_CODE_USE_BEDROCK"] = "1" })).ShouldSucceed();

        Engines.Lines(direct.Stdout).ShouldBe(["ANTHROPIC_API_KEY"], direct.ToString());
        Engines.Lines(bedrock.Stdout).ShouldBe(["ANTHROPIC_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_SECRET_ACCESS_KEY", "CLAUDE_CODE_USE_BEDROCK"], bedrock.ToString());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_sandbox_sees_the_hosts_gitconfig_without_the_credentials_kept_in_it(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        ws.Write("home/.gitconfig", """
            [user]
            	name = It Tester
            	email = it@example.com
            [credential]
            	helper = "!f() { echo password=it-helper-secret; }; f"
            [url "https://it:it-url-token@example.com/"]
            	insteadOf = https://example.com/
            [http]
            	extraHeader = Authorization: Bearer it-bearer-token
            [github]
            	token = it-github-token
            [alias]
            	st = status
            """);

        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c", "cat /etc/airlock/host.gitconfig; git config --get user.name; git config --get alias.st")).ShouldSucceed();

        foreach (var secret in new[] { "it-helper-secret", "it-url-token", "it-bearer-token", "it-github-token" })
        {
            result.Stdout.ShouldNotContain(secret, Case.Sensitive, result.ToString());
        }

        Engines.Lines(result.Stdout)[^2..].ShouldBe(["It Tester", "status"], result.ToString());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task By_default_a_sandbox_gets_all_CPUs_but_one_and_writes_only_to_bounded_scratch_dirs_outside_its_mounts(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        // Run by root: in a writable image root could fill the host's disk through the container's own layer.
        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c",
            "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us; " +
            "for d in / /usr /etc /var /opt; do touch $d/airlock-probe 2>/dev/null && echo \"wrote $d\"; done; " +
            "awk '$5 == \"/tmp\" || $5 == \"/var/tmp\" { for (i = 7; i < NF; i++) if ($i == \"-\") print $5, $(i + 1), $(i + 3) }' /proc/self/mountinfo")).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        var cpus = double.Parse(lines[0], CultureInfo.InvariantCulture) / double.Parse(lines[1], CultureInfo.InvariantCulture);
        cpus.ShouldBe(Math.Max(1, Environment.ProcessorCount - 1), result.ToString());
        lines.ShouldNotContain(l => l.StartsWith("wrote", StringComparison.Ordinal), result.ToString());
        var scratch = lines[2..].Select(l => l.Split(' ')).ToList();
        scratch.Select(f => f[0]).Order(StringComparer.Ordinal).ToList().ShouldBe(["/tmp", "/var/tmp"], result.ToString());
        scratch.ShouldAllBe(f => f[1] == "tmpfs" && f[2].Split(',', StringSplitOptions.None).Contains("size=2097152k"), result.ToString());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_scratch_size_is_enforced_and_tmp_0_gives_the_writable_image_back(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var shared1 = await shared.GetAsync(engine);
        var small = ws.BorrowNamespace(shared1, "limits: { tmp: 16m }");
        var writable = ws.BorrowNamespace(shared1, "limits: { tmp: 0 }");

        var full = (await ws.AirlockAsync(small, "sh", "-c", "dd if=/dev/zero of=/tmp/fill bs=1M count=32 2>&1; echo dd=$?")).ShouldSucceed();
        var open = (await ws.AirlockAsync(writable, "sh", "-c", "touch /opt/probe && echo wrote")).ShouldSucceed();

        full.Stdout.ShouldContain("No space left on device", Case.Sensitive, full.ToString());
        open.Stdout.Trim().ShouldBe("wrote");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Tracing_or_rewriting_the_init_cannot_keep_the_session_from_ending_with_the_commands_exit_code(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        // PTRACE_ATTACH stops PID 1; bytes EB FE (a jump to itself) at the address it will resume at make it spin
        // instead of reaping the command. Either way, on the old wall, the container never ended and airlock waited.
        const string Attack = """
            perl -e '$r = syscall(101, 16, 1, 0, 0); print "ptrace=$r\n"'
            perl -e 'open(S, "<", "/proc/1/syscall") or die; @f = split(" ", <S>); $pc = hex($f[-1]);
                     open(M, "+<", "/proc/1/mem") or die "mem: $!"; sysseek(M, $pc, 0); $w = syswrite(M, "\xeb\xfe"); print "wrote=", ($w // -1), "\n"'
            stat -c %F /proc/1/mem
            exit 7
            """;

        var result = await ws.RunAsync([ns.Name, "sh", "-c", Attack], timeout: TimeSpan.FromMinutes(1));

        result.ExitCode.ShouldBe(7, result.ToString());
        Engines.Lines(result.Stdout).ShouldContain("ptrace=-1", result.ToString());
        Engines.Lines(result.Stdout).ShouldContain("character special file", "the init's memory is masked by /dev/null");
    }
}
