using Airlock.Engine.Containers;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Security.Seccomp;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Tests.Runtime;

public sealed class ContainerSpecMapperTests
{
    private static readonly SandboxSpec Spec = new()
    {
        Image = "localhost/airlock:work",
        Command = ["claude", "--verbose"],
        User = "1234:2345",
        UsernsMode = "keep-id",
        WorkingDirectory = "/home/dev/project",
        Hostname = "work",
        Environment = new Dictionary<string, string> { ["HOME"] = "/home/airlock" },
        Mounts = [new SandboxMount("/home/dev/project", "/home/dev/project"), new SandboxMount("/etc/localtime", "/etc/localtime", ReadOnly: true)],
        Ports = [new PortForward(80, 8080), new PortForward(53, 5353, "[::1]", "udp")],
        Limits = new SandboxLimits(512L * 1024 * 1024, 1.5, 100),
        Network = new NetworkPolicy("none", []),
        Security = new SecurityPolicy(["net_bind_service"], ReadOnlyRootfs: true),
        Devices = ["/dev/dri"],
        Tmpfs = new Dictionary<string, string> { ["/run/user/1234"] = "rw,size=64m" },
        Labels = new Dictionary<string, string> { [SandboxLabels.Owner] = "server", [SandboxLabels.Tenant] = "someone-else", ["team"] = "infra" },
        Tty = true,
        Interactive = true,
    };

    private static ContainerCreateOptions Map(SandboxSpec? spec = null) => ContainerSpecMapper.ToCreateOptions(
        spec ?? Spec, "airlock-work-1a2b3c4d", new Dictionary<string, string> { [SandboxLabels.Session] = "airlock-work-1a2b3c4d" }, ["host.airlock.internal:host-gateway"]);

    [Fact]
    public void Every_capability_is_dropped_and_only_the_granted_ones_added_back()
    {
        var options = Map();

        options.CapDrop.ShouldBe(["ALL"]);
        options.CapAdd.ShouldBe(["NET_BIND_SERVICE"]);
    }

    [Fact]
    public void No_new_privileges_and_an_init_process_are_always_on()
    {
        var options = Map(new SandboxSpec { Image = "debian" });

        options.SecurityOptions.ShouldBe(["no-new-privileges"]);
        options.Init.ShouldBeTrue();
        options.CapDrop.ShouldBe(["ALL"]);
    }

    [Fact]
    public void Airlocks_seccomp_profile_masked_init_memory_and_hardened_binds_are_always_on()
    {
        var options = Map(new SandboxSpec { Image = "debian" });

        options.SeccompProfile.ShouldBe(SandboxSeccomp.JsonFor(SecurityPolicy.Default));
        options.MaskedPaths.ShouldBe(["/proc/1/mem", "/proc/1/task/1/mem"]);
        options.HardenBinds.ShouldBeTrue();
    }

    [Fact]
    public void A_spec_that_asks_for_nesting_gets_the_nesting_profile()
    {
        var options = Map(new SandboxSpec { Image = "debian", Security = new SecurityPolicy([], false, Nesting: true) });

        options.SeccompProfile.ShouldBe(SandboxSeccomp.For(new SecurityPolicy([], false, Nesting: true)).ToJson());
        options.SeccompProfile.ShouldNotBe(SandboxSeccomp.For(SecurityPolicy.Default).ToJson());
    }

    [Fact]
    public void Limits_are_mapped_to_the_engine_limits()
    {
        Map().Limits.ShouldBe(new ResourceLimits(512L * 1024 * 1024, 1.5, 100));
    }

    [Fact]
    public void Default_limits_reach_the_engine_when_the_spec_sets_none()
    {
        Map(new SandboxSpec { Image = "debian" }).Limits.ShouldBe(new ResourceLimits(8L * 1024 * 1024 * 1024, null, 4096));
    }

    [Fact]
    public void Lifted_limits_are_unlimited_not_the_engines_default()
    {
        // podman fills in its own pids limit (2048) when none is sent: -1 is how the Engine API says "no limit".
        Map(Spec with { Limits = new SandboxLimits(null, null, null) }).Limits.ShouldBe(new ResourceLimits(null, null, -1));
    }

    [Fact]
    public void The_specs_own_labels_are_kept_but_only_the_owner_writes_airlock_labels()
    {
        Map().Labels.ShouldBe(new Dictionary<string, string>
        {
            ["team"] = "infra",
            [SandboxLabels.Session] = "airlock-work-1a2b3c4d",
            [SandboxLabels.Isolation] = "container",
        });
    }

    [Fact]
    public void The_level_is_written_by_the_runtime_and_a_specs_own_isolation_label_cannot_claim_another()
    {
        var spec = Spec with { Isolation = IsolationLevel.Gvisor, Labels = new Dictionary<string, string> { [SandboxLabels.Isolation] = "container" } };

        Map(spec).Labels[SandboxLabels.Isolation].ShouldBe("gvisor");
    }

    [Fact]
    public void Mounts_ports_and_the_rest_of_the_spec_are_carried_over()
    {
        var options = Map();

        options.Image.ShouldBe("localhost/airlock:work");
        options.Name.ShouldBe("airlock-work-1a2b3c4d");
        options.Command.ShouldBe(["claude", "--verbose"]);
        options.User.ShouldBe("1234:2345");
        options.UsernsMode.ShouldBe("keep-id");
        options.WorkingDirectory.ShouldBe("/home/dev/project");
        options.Hostname.ShouldBe("work");
        options.Environment.ShouldBe(new Dictionary<string, string> { ["HOME"] = "/home/airlock" });
        options.Binds.ShouldBe([new BindMount("/home/dev/project", "/home/dev/project"), new BindMount("/etc/localtime", "/etc/localtime", ReadOnly: true)]);
        options.Ports.ShouldBe([new PortMapping(80, 8080, "127.0.0.1"), new PortMapping(53, 5353, "::1", "udp")]);
        options.NetworkMode.ShouldBe("none");
        options.ExtraHosts.ShouldBe(["host.airlock.internal:host-gateway"]);
        options.Devices.ShouldBe(["/dev/dri"]);
        options.Tmpfs.ShouldBe(new Dictionary<string, string> { ["/run/user/1234"] = "rw,size=64m" });
        options.ReadOnlyRootfs.ShouldBeTrue();
        options.Tty.ShouldBeTrue();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_interactive_spec_keeps_stdin_open_until_the_first_attach_ends(bool interactive)
    {
        var options = Map(Spec with { Interactive = interactive });

        options.OpenStdin.ShouldBe(interactive);
        options.StdinOnce.ShouldBe(interactive);
    }

    [Fact]
    public void The_container_level_keeps_the_engines_default_runtime()
    {
        Map().Runtime.ShouldBeNull();
    }

    [Fact]
    public void The_gvisor_level_runs_under_airlocks_runsc_with_the_whole_wall_unchanged()
    {
        var container = Map();
        var gvisor = Map(Spec with { Isolation = IsolationLevel.Gvisor });
        var bridged = Map(Spec with { Isolation = IsolationLevel.Gvisor, Network = NetworkPolicy.Default });

        bridged.Runtime.ShouldBe("airlock-runsc");
        gvisor.Runtime.ShouldBe(Spec.Network.LoopbackOnly ? IsolationRules.GvisorLoopbackRuntime : IsolationRules.GvisorRuntime);
        gvisor.CapDrop.ShouldBe(["ALL"]);
        gvisor.CapAdd.ShouldBe(container.CapAdd);
        gvisor.SecurityOptions.ShouldBe(["no-new-privileges"]);
        gvisor.SeccompProfile.ShouldBe(SandboxSeccomp.JsonFor(Spec.Security, IsolationLevel.Gvisor), "the profile with gVisor's one difference (clone3, see SandboxSeccompTests)");
        gvisor.MaskedPaths.ShouldBe(container.MaskedPaths);
        gvisor.Init.ShouldBeTrue();
        gvisor.HardenBinds.ShouldBeTrue();
        gvisor.ReadOnlyRootfs.ShouldBeTrue();
        gvisor.Binds.ShouldBe(container.Binds);
        gvisor.Limits.MemoryBytes.ShouldBe(container.Limits.MemoryBytes);
        gvisor.Limits.Cpus.ShouldBe(container.Limits.Cpus);
    }

    [Fact]
    public void A_gvisor_sandbox_without_a_network_interface_runs_under_the_loopback_runtime()
    {
        Map(Spec with { Isolation = IsolationLevel.Gvisor, Network = NetworkPolicy.Offline }).Runtime.ShouldBe(IsolationRules.GvisorLoopbackRuntime);
        Map(Spec with { Isolation = IsolationLevel.Gvisor, Network = NetworkPolicy.Default with { Mode = NetworkPolicy.Allowlist } }).Runtime.ShouldBe(IsolationRules.GvisorLoopbackRuntime);
        Map(Spec with { Isolation = IsolationLevel.Gvisor, Network = NetworkPolicy.Default }).Runtime.ShouldBe(IsolationRules.GvisorRuntime);
        Map(Spec with { Network = NetworkPolicy.Offline }).Runtime.ShouldBeNull();
    }

    [Fact]
    public void Under_gvisor_the_pids_limit_counts_the_host_threads_its_processes_take()
    {
        // 100 processes inside: gVisor's own threads plus about 8 host threads for each (ptrace platform).
        Map(Spec with { Isolation = IsolationLevel.Gvisor }).Limits.PidsLimit.ShouldBe((100 * IsolationRules.GvisorThreadsPerProcess) + IsolationRules.GvisorBaseThreads);
        Map(new SandboxSpec { Image = "debian", Isolation = IsolationLevel.Gvisor }).Limits.PidsLimit.ShouldBe((4096 * 8) + 128);
        Map(Spec with { Isolation = IsolationLevel.Gvisor, Limits = new SandboxLimits(null, null, null) }).Limits.PidsLimit.ShouldBe(-1);
        Map().Limits.PidsLimit.ShouldBe(100);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MaxValue / 8)]
    [InlineData((long.MaxValue - 128) / 8 + 1)]
    public void A_pids_limit_too_large_to_scale_stays_the_largest_never_wrapping_to_unlimited(long pids)
    {
        var spec = Spec with { Isolation = IsolationLevel.Gvisor, Limits = new SandboxLimits(null, null, pids) };

        Map(spec).Limits.PidsLimit.ShouldBe(long.MaxValue);
    }
}
