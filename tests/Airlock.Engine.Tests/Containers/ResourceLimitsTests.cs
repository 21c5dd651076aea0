using Airlock.Engine.Containers;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Containers;

[Trait("Category", "Integration")]
public sealed class ResourceLimitsTests(EngineFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Memory_limit_kills_a_process_that_allocates_beyond_it_with_exit_code_137(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        // tail keeps its whole (newline-free) input in memory: 200 MiB against a 32 MiB limit.
        var options = TestEngine.Script("head -c 200m /dev/zero | tail >/dev/null") with { Limits = new ResourceLimits(MemoryBytes: 32L * 1024 * 1024) };

        var (exit, _, _) = await scope.RunAsync(options);

        exit.ShouldBe(137, "128 + SIGKILL from the OOM killer");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Memory_limit_leaves_a_process_within_it_alone(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        var options = TestEngine.Script("head -c 8m /dev/zero | tail | wc -c") with { Limits = new ResourceLimits(MemoryBytes: 32L * 1024 * 1024) };

        var (exit, stdout, _) = await scope.RunAsync(options);

        exit.ShouldBe(0);
        stdout.ShouldBe($"{8 * 1024 * 1024}\n");
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Pids_limit_refuses_forks_beyond_it(string engine)
    {
        var e = await fixture.ConnectAsync(engine);
        await using var scope = e.Scope();
        // perl rather than bash: bash retries a failed fork for seconds; perl reports it at once.
        const string forker = """
            my @kids;
            for (1 .. 40) {
                my $pid = fork;
                if (!defined $pid) { print STDERR "fork failed: $!\n"; last }
                if ($pid == 0) { sleep 60; exit 0 }
                push @kids, $pid;
            }
            print "forked=", scalar(@kids), "\n";
            kill 'KILL', @kids;
            waitpid($_, 0) for @kids;
            """;
        var options = TestEngine.Container("perl", "-e", forker) with { Limits = new ResourceLimits(PidsLimit: 10) };

        var (exit, stdout, stderr) = await scope.RunAsync(options);

        exit.ShouldBe(0, stderr);
        stderr.ShouldContain("fork failed: Resource temporarily unavailable");
        var forked = int.Parse(stdout.Trim().Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        forked.ShouldBeInRange(1, 9, "perl itself is one of the 10 pids");
    }
}
