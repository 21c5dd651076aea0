using Airlock.Launcher.Conduit;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Paths;

namespace Airlock.Launcher.Tests.Conduit;

public sealed class ConduitSiteTests
{
    [Theory]
    [InlineData("/run/.containerenv")]
    [InlineData("/.dockerenv")]
    public void A_container_the_launcher_started_is_a_sandbox(string marker)
    {
        var site = ConduitSiteDetector.Detect(FakeHostEnvironment.Of(("AIRLOCK_NAMESPACE", "agents")), f => f == marker, _ => "systemd\n");

        site.ShouldBe(ConduitSite.Sandbox);
    }

    [Theory]
    [InlineData("catatonit")]
    [InlineData("podman-init")]
    [InlineData("docker-init")]
    public void A_read_only_sandbox_without_podmans_marker_is_known_by_its_init(string init)
    {
        ConduitSiteDetector.Detect(FakeHostEnvironment.Of(("AIRLOCK_NAMESPACE", "agents")), _ => false, _ => init + "\n").ShouldBe(ConduitSite.Sandbox);
    }

    [Fact]
    public void The_variable_alone_does_not_make_a_sandbox()
    {
        ConduitSiteDetector.Detect(FakeHostEnvironment.Of(("AIRLOCK_NAMESPACE", "agents")), _ => false, _ => "systemd\n").ShouldBe(ConduitSite.Host);
    }

    [Fact]
    public void A_container_without_the_launchers_variable_is_not_a_sandbox()
    {
        ConduitSiteDetector.Detect(FakeHostEnvironment.Empty, _ => true, _ => "catatonit\n").ShouldBe(ConduitSite.Host);
    }

    [Fact]
    public void Inside_a_sandbox_conduit_works_on_its_own_namespace_in_HOME()
    {
        var env = FakeHostEnvironment.Of(("AIRLOCK_NAMESPACE", "agents"), ("HOME", "/home/airlock"));

        var location = ConduitLocation.Resolve(ConduitSite.Sandbox, null, new AirlockPaths("/nowhere", "/root"), env);

        location.ShouldBe(new ConduitLocation(ConduitSite.Sandbox, "agents", "/home/airlock"));
        location.Store.File.ShouldBe("/home/airlock/.config/airlock/conduit.json");
    }

    [Fact]
    public void Inside_a_sandbox_another_namespace_is_refused()
    {
        var env = FakeHostEnvironment.Of(("AIRLOCK_NAMESPACE", "agents"), ("HOME", "/home/airlock"));

        var ex = Should.Throw<ConduitException>(() => ConduitLocation.Resolve(ConduitSite.Sandbox, "work", new AirlockPaths("/nowhere", "/root"), env));

        ex.Message.ShouldContain("--namespace work");
        ex.Message.ShouldContain("'agents'");
    }

    [Fact]
    public void On_the_host_the_namespace_home_under_AIRLOCK_HOME_is_used()
    {
        using var dir = new TempDirectory();
        dir.Write("airlock/config.yaml", "namespaces:\n  agents:\n    image: localhost/airlock:agents\n    buildDir: /tmp/x/\n");
        dir.CreateDirectory("airlock/namespaces/agents");

        var location = ConduitLocation.Resolve(ConduitSite.Host, null, new AirlockPaths(dir.Combine("airlock"), dir.Path), FakeHostEnvironment.Empty);

        location.ShouldBe(new ConduitLocation(ConduitSite.Host, "agents", dir.Combine("airlock", "namespaces", "agents")));
    }

    [Fact]
    public void On_the_host_a_missing_namespace_is_refused_with_how_to_create_it()
    {
        using var dir = new TempDirectory();

        var ex = Should.Throw<ConduitException>(() => ConduitLocation.Resolve(ConduitSite.Host, "work", new AirlockPaths(dir.Combine("airlock"), dir.Path), FakeHostEnvironment.Empty));

        ex.Message.ShouldContain("no namespace 'work'");
        ex.HowToFix.ShouldContain("airlock create namespace work");
    }
}
