using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Tests.Infrastructure;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Tests.Runtime;

/// <summary>A spec at the gvisor level, mapped by <see cref="ContainerSpecMapper"/> and run on the real engines.</summary>
[Trait("Category", "Integration")]
public sealed class IsolationLevelEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_gvisor_sandbox_runs_on_gvisors_kernel_not_the_hosts(string engine)
    {
        var (exit, output) = await RunAsync(engine, IsolationLevel.Gvisor, "cat /proc/version");

        exit.ShouldBe(0, output);
        Engines.IsGvisorKernel(output).ShouldBeTrue(output);
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_container_sandbox_reads_the_hosts_kernel(string engine)
    {
        var (exit, output) = await RunAsync(engine, IsolationLevel.Container, "cat /proc/version");

        exit.ShouldBe(0, output);
        Engines.IsGvisorKernel(output).ShouldBeFalse(output);
        output.Trim().ShouldBe(File.ReadAllText("/proc/version").Trim());
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Under_gvisor_the_wall_holds_no_new_privileges_no_capabilities_and_airlocks_seccomp_profile(string engine)
    {
        // gVisor's /proc/self/status has no NoNewPrivs line: prctl(PR_GET_NO_NEW_PRIVS) (157, 39) asks it directly.
        const string script = """
            perl -e 'print "nnp=", syscall(157, 39, 0, 0, 0, 0), "\n"'
            grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status
            unshare -U true 2>/dev/null && echo unshare=allowed || echo unshare=refused
            su -c true root </dev/null 2>/dev/null && echo su=allowed || echo su=refused
            cp /bin/true /tmp/t && { chmod u+s /tmp/t 2>/dev/null && echo setuid=allowed || echo setuid=refused; }
            touch /image-file 2>/dev/null && echo image=writable || echo image=read-only
            """;

        var (exit, output) = await RunAsync(engine, IsolationLevel.Gvisor, script);

        exit.ShouldBe(0, output);
        output.ShouldContain("nnp=1");
        output.ShouldContain("CapEff:\t0000000000000000");
        output.ShouldContain("CapPrm:\t0000000000000000");
        output.ShouldContain("CapBnd:\t0000000000000400"); // NET_BIND_SERVICE, the one the spec gave back
        output.ShouldContain("unshare=refused");
        output.ShouldContain("su=refused");
        output.ShouldContain("setuid=refused");
        output.ShouldContain("image=read-only");
    }

    /// <summary>Runs <paramref name="script"/> as uid 1500 in a sandbox of the level, hardened as every sandbox is, and removes it.</summary>
    private static async Task<(int Exit, string Output)> RunAsync(string engine, IsolationLevel level, string script)
    {
        using var client = await Engines.ConnectAsync(engine);
        var spec = new SandboxSpec
        {
            Image = Engines.BaseImage,
            Command = ["sh", "-c", script],
            User = "1500:1500",
            Isolation = level,
            Security = new SecurityPolicy(["NET_BIND_SERVICE"], ReadOnlyRootfs: true),
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=64m,mode=1777" },
            Labels = new Dictionary<string, string> { [Engines.RunLabel] = "sandboxes-isolation" },
        };
        var name = $"airlock-test-isolation-{Guid.NewGuid():N}"[..40];
        var id = await client.Containers.CreateAsync(ContainerSpecMapper.ToCreateOptions(spec, name, new Dictionary<string, string>(), []), Ct);
        return await ContainerRun.ToEndAsync(client, id, Ct);
    }
}
