using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// The always-on and default-on measures of docs/security.md, seen from inside a running sandbox, at every isolation
/// level (issue 11: the wall is the same under gVisor).
/// </summary>
public sealed class SandboxSafetyTests(SharedNamespaces shared)
{
    private const long EightGiB = 8L * 1024 * 1024 * 1024;

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Sandbox_has_no_capabilities_no_new_privileges_and_a_seccomp_filter(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        // gVisor's /proc/self/status has no NoNewPrivs or Seccomp line: no-new-privileges is asked of the kernel itself
        // (prctl PR_GET_NO_NEW_PRIVS: syscall 157, option 39), and the seccomp profile is shown by a call it refuses.
        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "sh", "-c",
            "cat /proc/self/status; perl -e 'print \"nnp=\", syscall(157, 39, 0, 0, 0, 0), \"\\n\"'; " +
            "unshare -U true 2>/dev/null && echo unshare=allowed || echo unshare=refused")).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        var status = lines
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim());
        status["CapEff"].ShouldBe("0000000000000000");
        status["CapPrm"].ShouldBe("0000000000000000");
        status["CapBnd"].ShouldBe("0000000000000000", "every capability is dropped, so none can be regained either");
        lines.ShouldContain("nnp=1");
        lines.ShouldContain("unshare=refused", "Airlock's seccomp profile refuses new user namespaces");
        if (level == Levels.Container)
        {
            status["Seccomp"].ShouldBe("2", "2 is SECCOMP_MODE_FILTER: Airlock's profile is on");
        }
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Pid_1_is_an_init_not_the_command(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var result = (await ws.AirlockAsync(ns.Name, "--isolation", level, "sh", "-c", "cat /proc/1/comm; echo $$")).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        lines[0].ShouldBeOneOf("podman-init", "catatonit", "docker-init", "tini", "tini-static");
        lines[1].ShouldNotBe("1", "the command itself must not be PID 1");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Default_limits_are_8_GiB_of_memory_without_swap_4096_pids_and_all_CPUs_but_one(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var limits = await ReadLimitsAsync(ws, ns.Name);

        limits.Memory.ShouldBe(EightGiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        limits.Pids.ShouldBe("4096");
        limits.CpuQuotaPerPeriod.ShouldBe(Math.Max(1, Environment.ProcessorCount - 1), "the host keeps a CPU to answer with");
        if (limits.MemoryAndSwap is { } memsw)
        {
            memsw.ShouldBe(limits.Memory, "no swap on top of the memory limit");
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Limits_in_config_override_the_defaults(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns, "limits: { memory: 512m, pids: 100, cpus: 1.5 }");

        var limits = await ReadLimitsAsync(ws, name);

        limits.Memory.ShouldBe((512L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        limits.Pids.ShouldBe("100");
        limits.CpuQuotaPerPeriod.ShouldBe(1.5);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Limit_of_0_in_config_lifts_it(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns, "limits: { memory: 0, pids: 0 }");

        var limits = await ReadLimitsAsync(ws, name);

        long.Parse(limits.Memory, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(EightGiB * 1000, "no memory limit is the kernel's huge default");
        limits.Pids.ShouldBe("max");
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Memory_beyond_the_limit_is_never_handed_out(string engine, string level)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine), "limits: { memory: 256m }");
        // tail keeps a whole line, and /dev/zero has no newline: it holds everything head gives it.
        const string Allocate = "head -c {0} /dev/zero | tail > /dev/null; echo \"tail exit $?\"";

        var within = (await ws.AirlockAsync(ns, "--isolation", level, "sh", "-c", string.Format(System.Globalization.CultureInfo.InvariantCulture, Allocate, "64m"))).ShouldSucceed();
        var beyond = await ws.AirlockAsync(ns, "--isolation", level, "sh", "-c", string.Format(System.Globalization.CultureInfo.InvariantCulture, Allocate, "700m"));

        Engines.Lines(within.Stdout).ShouldContain("tail exit 0", "an allocation under the limit must work, or the next check proves nothing");
        Engines.Lines(beyond.Stdout).ShouldNotContain("tail exit 0", beyond.ToString());
        if (level == Levels.Container)
        {
            // A cgroup per container: the kernel kills the greedy process and the sandbox goes on.
            Engines.Lines(beyond.Stdout).ShouldContain("tail exit 137", beyond.ToString());
        }
        else
        {
            // The cgroup holds the whole gVisor sandbox: at the limit all of it is killed (docs/security.md).
            beyond.ExitCode.ShouldBe(137, beyond.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task Processes_beyond_the_limit_cannot_be_started(string engine, string level)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine), "limits: { pids: 20 }");
        // dash gives up at the first fork that fails, so "started" is printed only if every fork worked.
        const string Spawn = "i=0; while [ $i -lt {0} ]; do sleep 60 & i=$((i+1)); done; echo started $i";

        var within = (await ws.AirlockAsync(ns, "--isolation", level, "sh", "-c", string.Format(System.Globalization.CultureInfo.InvariantCulture, Spawn, 5))).ShouldSucceed();
        var beyond = await ws.AirlockAsync(ns, "--isolation", level, "sh", "-c", string.Format(System.Globalization.CultureInfo.InvariantCulture, Spawn, 300));

        Engines.Lines(within.Stdout).ShouldContain("started 5", "a few processes under the limit must start, or the next check proves nothing");
        beyond.ExitCode.ShouldNotBe(0, beyond.ToString());
        Engines.Lines(beyond.Stdout).ShouldNotContain("started 300", beyond.ToString());
    }

    [Theory]
    [MemberData(nameof(Levels.OnBothEngines), MemberType = typeof(Levels))]
    public async Task No_socket_but_the_egress_proxys_is_inside(string engine, string level)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        const string find = "find / \\( -path /proc -o -path /sys \\) -prune -o -type s -print 2>/dev/null; echo END";

        // A new namespace is allowlist: its one socket is the policy point's, mounted read-only. Open mode has none.
        var allowlist = (await ws.AirlockAsync(ns.Name, "--isolation", level, "sh", "-c", find)).ShouldSucceed();
        var open = (await ws.AirlockAsync(ns.Name, "--isolation", level, "--network", "open", "sh", "-c", find)).ShouldSucceed();

        Engines.Lines(allowlist.Stdout).ShouldBe(["/run/airlock/egress/proxy.sock", "END"], "an engine socket (or any other socket) is reachable inside the sandbox");
        Engines.Lines(open.Stdout).ShouldBe(["END"], "an engine socket (or any socket) is reachable inside the sandbox");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Mounting_an_engine_socket_is_refused(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var socket = engine == Engines.Podman ? "/run/podman/podman.sock" : "/var/run/docker.sock";
        var before = await StateSnapshot.TakeAsync(ws, ns);

        var viaSocket = await ws.AirlockAsync(ns, "-v", $"{socket}:/engine.sock", "true");
        var viaParent = await ws.AirlockAsync(ns, "--volume", "/run:/hostrun", "true");

        viaSocket.ShouldBeUserError(socket, "engine socket");
        viaParent.ShouldBeUserError("/run", "engine socket");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, ns), "a refused launch");
    }

    /// <summary>
    /// The limits as the sandbox's cgroup files say, at the container level: under gVisor there are none inside (the
    /// limits are on the host's cgroup of the whole gVisor sandbox; docs/security.md, "Isolation levels").
    /// </summary>
    private static async Task<Limits> ReadLimitsAsync(Workspace ws, string ns)
    {
        // cgroup v1 on these machines: one hierarchy per controller.
        var result = (await ws.AirlockAsync(ns, "sh", "-c",
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes; cat /sys/fs/cgroup/pids/pids.max; " +
            "cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || echo none; " +
            "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us")).ShouldSucceed();
        var lines = Engines.Lines(result.Stdout);
        lines.Count.ShouldBe(5, result.ToString());
        var quota = double.Parse(lines[3], System.Globalization.CultureInfo.InvariantCulture);
        var period = double.Parse(lines[4], System.Globalization.CultureInfo.InvariantCulture);
        return new Limits(lines[0], lines[1], lines[2] == "none" ? null : lines[2], quota < 0 ? null : quota / period);
    }

    private sealed record Limits(string Memory, string Pids, string? MemoryAndSwap, double? CpuQuotaPerPeriod);
}
