using Airlock.Engine.Containers;
using Airlock.Engine.Errors;
using Airlock.Engine.Events;
using Airlock.Engine.Identity;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class ContainersTests(EngineFixture fixture)
{
    private const long SixtyFourMiB = 64L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_with_every_option_is_reported_back_by_inspect(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var data = new TempDirectory();

        var id = await scope.CreateAsync(HardenedOptions(data.Path, "true"));

        var details = await e.Client.Containers.InspectAsync(id, Ct);
        details.Id.ShouldBe(id);
        details.State.Running.ShouldBeFalse();
        details.Config.Env.ShouldNotBeNull().ShouldContain("AIRLOCK_TEST_VAR=hello world");
        details.Config.WorkingDir.ShouldBe("/srv");
        details.Config.User.ShouldBe("1000:1000");
        details.Config.Hostname.ShouldBe("airlock-box");
        details.Config.Labels.ShouldNotBeNull()[TestEngine.CaseLabel].ShouldBe(scope.CaseId);
        details.Config.Labels[TestEngine.RunLabel].ShouldBe(e.RunId);
        // podman adds its default propagation options: "DIR:/data:ro,rprivate,rbind".
        var bind = details.HostConfig.Binds.ShouldNotBeNull().ShouldHaveSingleItem();
        bind.ShouldStartWith($"{data.Path}:/data:");
        bind[$"{data.Path}:/data:".Length..].Split(',').ShouldContain("ro");
        details.HostConfig.ExtraHosts.ShouldBe(["airlock-extra:10.1.2.3"]);
        if (e.Kind == EngineKind.Docker)
        {
            details.HostConfig.CapDrop.ShouldBe(["ALL"]);
        }
        else
        {
            // podman reports ALL as the capabilities it actually dropped: its default set.
            details.HostConfig.CapDrop.ShouldNotBeNull().ShouldContain("CHOWN");
            details.HostConfig.CapDrop.ShouldContain("SETUID");
            details.HostConfig.CapDrop.ShouldContain("NET_RAW");
        }

        details.HostConfig.SecurityOpt.ShouldBe(["no-new-privileges"]);
        details.HostConfig.ReadonlyRootfs.ShouldBeTrue();
        details.HostConfig.Init.ShouldBe(true);
        details.HostConfig.Memory.ShouldBe(SixtyFourMiB);
        details.HostConfig.NanoCpus.ShouldBe(500_000_000);
        details.HostConfig.PidsLimit.ShouldBe(64);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_with_every_option_takes_effect_inside_the_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        using var data = new TempDirectory();
        data.Write("hello.txt", "from the host");
        const string probe = """
            echo "uid=$(id -u):$(id -g)"
            echo "pwd=$(pwd)"
            echo "env=$AIRLOCK_TEST_VAR"
            echo "hostname=$(hostname)"
            sed -n -e 's/^\(NoNewPrivs\|CapBnd\|CapEff\):\s*/\1=/p' /proc/self/status
            touch /rootfs-probe 2>/dev/null && echo rootfs=writable || echo rootfs=read-only
            touch /scratch/probe 2>/dev/null && echo tmpfs=writable || echo tmpfs=read-only
            echo "bind=$(cat /data/hello.txt)"
            touch /data/probe 2>/dev/null && echo bindwrite=writable || echo bindwrite=read-only
            echo "extrahost=$(getent hosts airlock-extra | awk '{print $1}')"
            echo "pid1=$(cat /proc/1/comm)"
            echo "memory=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
            echo "pids=$(cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max)"
            """;

        var (exit, stdout, stderr) = await scope.RunAsync(HardenedOptions(data.Path, "bash", "-c", probe));

        exit.ShouldBe(0, stderr);
        var seen = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "");
        seen["uid"].ShouldBe("1000:1000");
        seen["pwd"].ShouldBe("/srv");
        seen["env"].ShouldBe("hello world");
        seen["hostname"].ShouldBe("airlock-box");
        seen["NoNewPrivs"].ShouldBe("1");
        seen["CapBnd"].ShouldBe("0000000000000000", "all capabilities were dropped");
        seen["CapEff"].ShouldBe("0000000000000000");
        seen["rootfs"].ShouldBe("read-only");
        seen["tmpfs"].ShouldBe("writable");
        seen["bind"].ShouldBe("from the host");
        seen["bindwrite"].ShouldBe("read-only");
        seen["extrahost"].ShouldBe("10.1.2.3");
        seen["pid1"].ShouldBeOneOf("docker-init", "podman-init", "catatonit", "tini");
        seen["memory"].ShouldBe(SixtyFourMiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        seen["pids"].ShouldBe("64");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Wait_returns_the_exit_code_of_the_main_process(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartAsync(TestEngine.Script("exit 42"));

        var exit = await e.Client.Containers.WaitAsync(id, Ct);

        exit.ShouldBe(42);
        var details = await e.Client.Containers.InspectAsync(id, Ct);
        details.State.Running.ShouldBeFalse();
        details.State.ExitCode.ShouldBe(42);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Start_runs_the_container_until_it_is_stopped(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.CreateAsync(TestEngine.Container("sleep", "infinity") with { Init = true });
        (await e.Client.Containers.InspectAsync(id, Ct)).State.Running.ShouldBeFalse();

        await e.Client.Containers.StartAsync(id, Ct);

        var details = await e.Client.Containers.InspectAsync(id, Ct);
        details.State.Running.ShouldBeTrue();
        details.State.Status.ShouldBe("running");
        details.State.Pid.ShouldBeGreaterThan(0);
        await e.Client.Containers.StartAsync(id, Ct); // already running: not an error
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Stop_ends_a_container_with_init_through_SIGTERM_before_the_kill_timeout(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        // Signals that reach init before it has set up forwarding are dropped (PID 1 ignores what it does not handle):
        // stop only once the command runs, which init starts after it is ready.
        var id = await scope.StartIdleAsync(TestEngine.Script("echo ready; exec sleep infinity"));
        await scope.WaitForLogLineAsync(id, "ready");

        await e.Client.Containers.StopAsync(id, TimeSpan.FromSeconds(30), Ct);

        var state = (await e.Client.Containers.InspectAsync(id, Ct)).State;
        state.Running.ShouldBeFalse();
        state.ExitCode.ShouldBe(143, "128 + SIGTERM: init forwarded it, so the SIGKILL after the timeout (137) was never needed");
        await e.Client.Containers.StopAsync(id, ct: Ct); // already stopped: not an error
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Kill_ends_the_container_with_exit_code_137(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartAsync(TestEngine.Container("sleep", "infinity"));

        await e.Client.Containers.KillAsync(id, ct: Ct);

        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(137);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Kill_with_a_signal_delivers_that_signal(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync(TestEngine.Script("trap 'exit 12' USR1; echo trapped; while :; do sleep 0.1; done"));
        await scope.WaitForLogLineAsync(id, "trapped");

        await e.Client.Containers.KillAsync(id, "USR1", Ct);

        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(12, "the script's USR1 trap exits with 12");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Remove_deletes_the_container_so_inspect_reports_not_found(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.CreateAsync(TestEngine.Container("true"));

        await e.Client.Containers.RemoveAsync(id, ct: Ct);

        await Should.ThrowAsync<EngineNotFoundException>(() => e.Client.Containers.InspectAsync(id, Ct));
        (await e.Client.Containers.TryInspectAsync(id, Ct)).ShouldBeNull();
        (await e.Client.Containers.RemoveIfExistsAsync(id, Ct)).ShouldBeFalse();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Remove_detached_returns_at_once_and_the_engine_still_removes_the_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartAsync(TestEngine.Container("true"));
        (await e.Client.Containers.WaitAsync(id, Ct)).ShouldBe(0);
        using var subscription = await e.Client.Events.SubscribeAsync(new EventFilter(Labels: [scope.CaseFilter], Types: ["container"]), Ct);

        await e.Client.Containers.RemoveDetachedAsync(id, Ct);

        // The request's connection is already closed: the engine carries the removal through on its own.
        await foreach (var seen in subscription.ReadAsync(Ct))
        {
            if (seen.Id == id && seen.Action is "destroy" or "remove")
            {
                break;
            }
        }

        (await e.Client.Containers.TryInspectAsync(id, Ct)).ShouldBeNull();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Remove_of_a_running_container_without_force_is_a_conflict(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var id = await scope.StartIdleAsync();

        await Should.ThrowAsync<EngineConflictException>(() => e.Client.Containers.RemoveAsync(id, ct: Ct));

        (await e.Client.Containers.InspectAsync(id, Ct)).State.Running.ShouldBeTrue();
        (await e.Client.Containers.RemoveIfExistsAsync(id, Ct)).ShouldBeTrue("force removes a running container");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_with_a_name_already_in_use_is_a_conflict(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var name = $"airlock-test-{e.RunId}-{scope.CaseId}";
        await scope.CreateAsync(TestEngine.Container("true") with { Name = name });

        var ex = await Should.ThrowAsync<EngineConflictException>(() => scope.CreateAsync(TestEngine.Container("true") with { Name = name }));

        ex.Message.ShouldContain(name);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Start_of_a_missing_container_throws_not_found(string engine)
    {
        var e = await fixture.ConnectAsync(engine);

        var ex = await Should.ThrowAsync<EngineNotFoundException>(() => e.Client.Containers.StartAsync($"airlock-test-missing-{e.RunId}", Ct));

        ex.EngineMessage.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task List_by_label_returns_only_the_labelled_container(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var labelled = e.Scope();
        await using var other = e.Scope();
        var id = await labelled.CreateAsync(TestEngine.Container("true") with { Labels = new Dictionary<string, string> { ["io.airlock.test.role"] = "wanted" } });
        await other.CreateAsync(TestEngine.Container("true"));

        var listed = await e.Client.Containers.ListAsync([labelled.CaseFilter], ct: Ct);

        listed.Select(c => c.Id).ShouldBe([id]);
        listed[0].State.ShouldBe("created");
        listed[0].Labels.ShouldNotBeNull()["io.airlock.test.role"].ShouldBe("wanted");
        listed[0].Name.ShouldNotStartWith("/");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task List_of_running_containers_leaves_out_stopped_ones(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var running = await scope.StartIdleAsync();
        await scope.CreateAsync(TestEngine.Container("true"));

        var all = await e.Client.Containers.ListAsync([scope.CaseFilter], all: true, Ct);
        var live = await e.Client.Containers.ListAsync([scope.CaseFilter], all: false, Ct);

        all.Count.ShouldBe(2);
        live.Select(c => c.Id).ShouldBe([running]);
    }

    /// <summary>A container with every kind of option set, so each one can be checked from outside and inside.</summary>
    private static ContainerCreateOptions HardenedOptions(string dataDir, params string[] command) => TestEngine.Container(command) with
    {
        Environment = new Dictionary<string, string> { ["AIRLOCK_TEST_VAR"] = "hello world" },
        WorkingDirectory = "/srv",
        User = "1000:1000",
        Hostname = "airlock-box",
        Binds = [new BindMount(dataDir, "/data", ReadOnly: true)],
        Tmpfs = new Dictionary<string, string> { ["/scratch"] = "rw,size=16m,mode=1777" },
        ExtraHosts = ["airlock-extra:10.1.2.3"],
        CapDrop = ["ALL"],
        SecurityOptions = ["no-new-privileges"],
        ReadOnlyRootfs = true,
        Init = true,
        Limits = new ResourceLimits(MemoryBytes: SixtyFourMiB, Cpus: 0.5, PidsLimit: 64),
    };
}
