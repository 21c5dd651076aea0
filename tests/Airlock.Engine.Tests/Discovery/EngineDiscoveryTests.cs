using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Engine.Identity;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Tests.Discovery;

public sealed class EngineDiscoveryTests
{
    private const string RootlessXdg = "/run/user/1000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Default_order_for_a_user_is_podman_rootless_rootful_private_then_docker_rootless_rootful()
    {
        var discovery = Discovery(new() { ["XDG_RUNTIME_DIR"] = RootlessXdg }, uid: 1000);

        Addresses(discovery).ShouldBe(
        [
            ("/run/user/1000/podman/podman.sock", EngineKind.Podman),
            ("/run/podman/podman.sock", EngineKind.Podman),
            ("/run/user/1000/airlock/podman.sock", EngineKind.Podman),
            ("/run/user/1000/docker.sock", EngineKind.Docker),
            ("/var/run/docker.sock", EngineKind.Docker),
        ]);
        discovery.Candidates()[0].Source.ShouldContain("rootless");
        discovery.Candidates()[2].Source.ShouldBe("podman service started by airlock");
    }

    [Fact]
    public void A_user_without_XDG_RUNTIME_DIR_gets_no_rootless_candidates_and_a_private_socket_under_tmp()
    {
        var discovery = Discovery([], uid: 1000);

        Addresses(discovery).Select(a => a.Path).ShouldBe(["/run/podman/podman.sock", "/tmp/airlock-1000/podman.sock", "/var/run/docker.sock"]);
    }

    [Fact]
    public void Root_gets_no_rootless_candidates_even_with_XDG_RUNTIME_DIR()
    {
        var discovery = Discovery(new() { ["XDG_RUNTIME_DIR"] = "/run/user/0" }, uid: 0);

        Addresses(discovery).Select(a => a.Path).ShouldBe(["/run/podman/podman.sock", "/run/user/0/airlock/podman.sock", "/var/run/docker.sock"]);
    }

    [Fact]
    public void Root_without_XDG_RUNTIME_DIR_keeps_the_private_socket_under_run()
    {
        var discovery = Discovery([], uid: 0);

        discovery.PrivatePodmanSocket.ShouldBe("/run/airlock/podman.sock");
        Addresses(discovery).Select(a => a.Path).ShouldBe(["/run/podman/podman.sock", "/run/airlock/podman.sock", "/var/run/docker.sock"]);
    }

    [Theory]
    [InlineData("podman")]
    [InlineData(" Podman ")]
    public void AIRLOCK_ENGINE_podman_limits_the_candidates_to_podman(string value)
    {
        var discovery = Discovery(new() { ["AIRLOCK_ENGINE"] = value, ["XDG_RUNTIME_DIR"] = RootlessXdg, ["DOCKER_HOST"] = "tcp://10.0.0.1:2375" }, uid: 1000);

        Addresses(discovery).Select(a => a.Path).ShouldBe(["/run/user/1000/podman/podman.sock", "/run/podman/podman.sock", "/run/user/1000/airlock/podman.sock"]);
        discovery.Candidates().ShouldAllBe(c => c.Source.StartsWith("AIRLOCK_ENGINE=podman", StringComparison.Ordinal) || c.Source == "podman service started by airlock");
    }

    [Fact]
    public void AIRLOCK_ENGINE_docker_limits_the_candidates_to_docker()
    {
        var discovery = Discovery(new() { ["AIRLOCK_ENGINE"] = "docker", ["XDG_RUNTIME_DIR"] = RootlessXdg }, uid: 1000);

        Addresses(discovery).ShouldBe([("/run/user/1000/docker.sock", EngineKind.Docker), ("/var/run/docker.sock", EngineKind.Docker)]);
    }

    [Theory]
    [InlineData("unix:///srv/engine.sock")]
    [InlineData("/srv/engine.sock")]
    public void AIRLOCK_ENGINE_address_is_the_only_candidate_and_wins_over_DOCKER_HOST(string value)
    {
        var discovery = Discovery(new() { ["AIRLOCK_ENGINE"] = value, ["DOCKER_HOST"] = "unix:///var/run/docker.sock" }, uid: 1000);

        var candidate = discovery.Candidates().ShouldHaveSingleItem();
        candidate.Endpoint.ShouldBe(EngineEndpoint.Unix("/srv/engine.sock"));
        candidate.ExpectedKind.ShouldBe(EngineKind.Unknown);
        candidate.Source.ShouldBe($"AIRLOCK_ENGINE={value}");
    }

    [Fact]
    public void DOCKER_HOST_is_the_only_candidate_when_AIRLOCK_ENGINE_is_unset()
    {
        var discovery = Discovery(new() { ["DOCKER_HOST"] = "tcp://10.0.0.1:2375", ["XDG_RUNTIME_DIR"] = RootlessXdg }, uid: 1000);

        var candidate = discovery.Candidates().ShouldHaveSingleItem();
        candidate.Endpoint.ShouldBe(EngineEndpoint.Tcp("10.0.0.1", 2375));
        candidate.Source.ShouldBe("DOCKER_HOST=tcp://10.0.0.1:2375");
    }

    [Theory]
    [InlineData("AIRLOCK_ENGINE", "containerd")]
    [InlineData("DOCKER_HOST", "ssh://me@host")]
    public void A_malformed_setting_is_a_configuration_error_naming_the_variable(string variable, string value)
    {
        var discovery = Discovery(new() { [variable] = value }, uid: 1000);

        var ex = Should.Throw<EngineConfigurationException>(discovery.Candidates);

        ex.Message.ShouldStartWith($"{variable}: ");
        ex.Message.ShouldContain($"'{value}'");
        ex.Message.ShouldContain("unset it");
    }

    [Fact]
    public async Task Find_returns_the_first_candidate_that_answers_and_lists_those_tried_before_it()
    {
        using var xdg = new TempDirectory();
        using var docker = new FakeEngineSocket(Path.Combine(xdg.Path, "docker.sock"));
        var starter = new FakePodmanServiceStarter();
        var discovery = Discovery(new() { ["XDG_RUNTIME_DIR"] = xdg.Path }, uid: 1000, sockets: [docker.Path], podman: null, starter: starter);

        var found = await discovery.FindAsync(Ct);

        found.Endpoint.ShouldBe(EngineEndpoint.Unix(docker.Path));
        found.StartedByAirlock.ShouldBeFalse();
        found.Tried.Select(t => (t.Candidate.ExpectedKind, t.Answered, t.Detail)).ShouldBe(
        [
            (EngineKind.Podman, false, "no socket"),
            (EngineKind.Podman, false, "no socket"),
            (EngineKind.Podman, false, "no socket"),
            (EngineKind.Docker, true, "answers"),
        ]);
        docker.Requests.ShouldBe(1);
        starter.Starts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Find_starts_podman_where_it_is_installed_even_when_docker_answers()
    {
        // The same user must land on the same engine whether or not airlock's idle podman service still runs, and
        // whether or not a new docker group has taken effect: their namespaces' images live in one engine.
        using var xdg = new TempDirectory();
        using var docker = new FakeEngineSocket(Path.Combine(xdg.Path, "docker.sock"));
        var starter = new FakePodmanServiceStarter();
        var discovery = Discovery(new() { ["XDG_RUNTIME_DIR"] = xdg.Path }, uid: 1000, sockets: [docker.Path], podman: "/usr/bin/podman", starter: starter);

        var found = await discovery.FindAsync(Ct);

        starter.Starts.ShouldBe([("/usr/bin/podman", Path.Combine(xdg.Path, "airlock", "podman.sock"))]);
        found.StartedByAirlock.ShouldBeTrue();
        found.Tried.ShouldAllBe(t => t.Candidate.ExpectedKind == EngineKind.Podman && !t.Answered);
        docker.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task Find_prefers_rootless_podman_when_it_answers()
    {
        using var xdg = new TempDirectory();
        using var podman = new FakeEngineSocket(Path.Combine(xdg.Path, "podman", "podman.sock"));
        using var docker = new FakeEngineSocket(Path.Combine(xdg.Path, "docker.sock"));
        var discovery = Discovery(new() { ["XDG_RUNTIME_DIR"] = xdg.Path }, uid: 1000, sockets: [podman.Path, docker.Path]);

        var found = await discovery.FindAsync(Ct);

        found.Endpoint.ShouldBe(EngineEndpoint.Unix(podman.Path));
        found.Tried.ShouldHaveSingleItem().Answered.ShouldBeTrue();
        docker.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task Find_starts_podman_on_the_private_socket_when_nothing_answers()
    {
        var starter = new FakePodmanServiceStarter();
        var discovery = Discovery(new() { ["XDG_RUNTIME_DIR"] = RootlessXdg }, uid: 1000, podman: "/usr/bin/podman", starter: starter);

        var found = await discovery.FindAsync(Ct);

        starter.Starts.ShouldBe([("/usr/bin/podman", "/run/user/1000/airlock/podman.sock")]);
        found.Endpoint.ShouldBe(EngineEndpoint.Unix("/run/user/1000/airlock/podman.sock"));
        found.StartedByAirlock.ShouldBeTrue();
        found.Source.ShouldBe("podman service started by airlock");
        found.Tried.Count.ShouldBe(3, "podman's three sockets; Docker's are not tried where podman is installed");
        found.Tried.ShouldAllBe(t => !t.Answered);
    }

    [Fact]
    public async Task Find_without_podman_installed_fails_listing_every_candidate_and_how_to_fix_it()
    {
        var starter = new FakePodmanServiceStarter();
        var discovery = Discovery([], uid: 1000, podman: null, starter: starter);

        var ex = await Should.ThrowAsync<EngineUnreachableException>(() => discovery.FindAsync(Ct));

        ex.Message.ShouldContain("no container engine answers");
        ex.Message.ShouldContain("unix:///run/podman/podman.sock (default podman socket (rootful)): no socket");
        ex.Message.ShouldContain("unix:///var/run/docker.sock");
        ex.HowToFix.ShouldContain("bash scripts/setup.sh");
        starter.Starts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Find_with_an_explicit_address_that_does_not_answer_never_starts_podman()
    {
        var starter = new FakePodmanServiceStarter();
        var discovery = Discovery(new() { ["DOCKER_HOST"] = "unix:///srv/nothing.sock" }, uid: 1000, podman: "/usr/bin/podman", starter: starter);

        var ex = await Should.ThrowAsync<EngineUnreachableException>(() => discovery.FindAsync(Ct));

        starter.Starts.ShouldBeEmpty();
        ex.HowToFix.ShouldContain("unix:///srv/nothing.sock");
        ex.HowToFix.ShouldContain("unset");
    }

    [Fact]
    public async Task Find_with_AIRLOCK_ENGINE_docker_never_starts_podman()
    {
        var starter = new FakePodmanServiceStarter();
        var discovery = Discovery(new() { ["AIRLOCK_ENGINE"] = "docker" }, uid: 1000, podman: "/usr/bin/podman", starter: starter);

        await Should.ThrowAsync<EngineUnreachableException>(() => discovery.FindAsync(Ct));

        starter.Starts.ShouldBeEmpty();
    }

    private static List<(string Path, EngineKind Kind)> Addresses(EngineDiscovery discovery) =>
        discovery.Candidates().Select(c => (c.Endpoint.Address, c.ExpectedKind)).ToList();

    private static EngineDiscovery Discovery(
        Dictionary<string, string> variables, int uid, IReadOnlyList<string>? sockets = null, string? podman = null, FakePodmanServiceStarter? starter = null)
    {
        var env = new DiscoveryEnvironment(
            name => variables.GetValueOrDefault(name),
            path => sockets?.Contains(path) == true,
            name => name == "podman" ? podman : null,
            uid)
        {
            // The fake sockets are the test's own; what makes a socket trusted is SocketTrustTests' subject.
            SocketProblem = _ => null,
        };
        return new EngineDiscovery(env, starter: starter ?? new FakePodmanServiceStarter());
    }
}
