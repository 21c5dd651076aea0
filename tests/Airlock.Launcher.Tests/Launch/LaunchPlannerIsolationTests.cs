using Airlock.Launcher.Config;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Specs;
using static Airlock.Launcher.Tests.Config.ConfigAssert;

namespace Airlock.Launcher.Tests.Launch;

/// <summary>Issue 11, item 3: the isolation level of a launch is the flag's, else the namespace's (a template's default is written there), else container.</summary>
public sealed class LaunchPlannerIsolationTests : IDisposable
{
    private readonly LaunchPlannerFixture _host = new();

    public static TheoryData<string?, string?, IsolationLevel> Precedence => new()
    {
        { null, null, IsolationLevel.Container },
        { null, "    isolation: gvisor\n", IsolationLevel.Gvisor },
        { "gvisor", null, IsolationLevel.Gvisor },
        { "container", "    isolation: gvisor\n", IsolationLevel.Container },
        { "GVisor", "    isolation: container\n", IsolationLevel.Gvisor },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public void The_flag_wins_over_the_namespace_which_wins_over_container(string? flag, string? config, IsolationLevel expected)
    {
        var ns = Namespace(config ?? "");

        var spec = _host.Plan(ns, _host.Request with { Isolation = flag }).Spec;

        spec.Isolation.ShouldBe(expected);
    }

    [Fact]
    public void An_unknown_level_in_the_flag_names_the_flag_and_the_levels()
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { Isolation = "vm" }));

        ex.Message.ShouldBe("--isolation: 'vm' is not an isolation level (container, gvisor)");
    }

    [Fact]
    public void An_unknown_level_in_config_names_the_field_its_line_and_the_levels()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    isolation: firecracker\n");

        (error.Path, error.Line).ShouldBe(("namespaces.work.isolation", 5));
        error.Message.ShouldBe("'firecracker' is not an isolation level (container, gvisor)");
    }

    [Fact]
    public void The_level_survives_a_round_trip_through_the_writer()
    {
        var config = new AirlockConfig().WithNamespace("work", LaunchPlannerFixture.Namespace with { Isolation = IsolationLevel.Gvisor });

        ConfigLoader.Parse(ConfigWriter.Render(config)).Namespaces["work"].Isolation.ShouldBe(IsolationLevel.Gvisor);
        ConfigWriter.Render(config).ShouldContain("isolation: gvisor");
    }

    [Theory]
    [InlineData(null, "--isolation")]
    [InlineData("    isolation: gvisor\n", "namespaces.work.isolation")]
    public void Gvisor_on_rootless_podman_is_refused_naming_where_it_was_asked_and_the_fixes(string? config, string from)
    {
        var request = config is null ? _host.Request with { Isolation = "gvisor" } : _host.Request;

        var ex = Should.Throw<LauncherException>(() => _host.Plan(Namespace(config ?? ""), request, TestEngines.RootlessPodman));

        ex.Message.ShouldStartWith($"{from}: gvisor does not run on rootless podman");
        ex.Message.ShouldContain("Docker");
        ex.Message.ShouldContain("rootful podman");
        ex.Message.ShouldContain("--isolation container");
    }

    [Fact]
    public void Gvisor_runs_on_rootful_podman_and_on_docker()
    {
        _host.Plan(request: _host.Request with { Isolation = "gvisor" }, engine: TestEngines.RootfulPodman).Spec.Isolation.ShouldBe(IsolationLevel.Gvisor);
        _host.Plan(request: _host.Request with { Isolation = "gvisor" }, engine: TestEngines.RootlessDocker).Spec.Isolation.ShouldBe(IsolationLevel.Gvisor);
    }

    public void Dispose() => _host.Dispose();
}
