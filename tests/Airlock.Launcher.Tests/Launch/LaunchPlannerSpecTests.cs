using Airlock.Engine.Identity;
using Airlock.Launcher.Config;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Tests.Launch;

public sealed class LaunchPlannerSpecTests : IDisposable
{
    private readonly LaunchPlannerFixture _host = new();

    public static TheoryData<string, string, string?> Engines => new()
    {
        { "rootful podman", "1234:2345", null },
        { "rootful docker", "1234:2345", null },
        { "rootless podman", "1234:2345", "keep-id" },
        { "rootless docker", "0:0", null },
    };

    private static EngineIdentity Engine(string name) => name switch
    {
        "rootful podman" => TestEngines.RootfulPodman,
        "rootful docker" => TestEngines.RootfulDocker,
        "rootless podman" => TestEngines.RootlessPodman,
        _ => TestEngines.RootlessDocker,
    };

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_sandbox_runs_as_the_host_user_as_each_engine_maps_it(string engine, string runAs, string? userns)
    {
        var spec = _host.Plan(engine: Engine(engine)).Spec;

        spec.User.ShouldBe(runAs);
        spec.UsernsMode.ShouldBe(userns);
    }

    [Fact]
    public void The_environment_has_home_user_namespace_project_and_term_and_nothing_of_the_host_unasked()
    {
        var hostEnv = FakeHostEnvironment.Of(("TERM", "screen-256color"), ("GITHUB_TOKEN", "secret"), ("PATH", "/usr/bin"));

        var spec = _host.Plan(hostEnv: hostEnv).Spec;

        spec.Environment.ShouldBe(new Dictionary<string, string>
        {
            ["HOME"] = "/home/airlock",
            ["USER"] = "airlock",
            ["AIRLOCK_NAMESPACE"] = "work",
            ["AIRLOCK_PROJECT"] = _host.Project,
            ["TERM"] = "screen-256color",
        });
    }

    [Fact]
    public void Term_falls_back_to_xterm_256color_and_tz_is_forwarded_when_set()
    {
        var spec = _host.Plan(hostEnv: FakeHostEnvironment.Of(("TZ", "Europe/Berlin"))).Spec;

        spec.Environment["TERM"].ShouldBe("xterm-256color");
        spec.Environment["TZ"].ShouldBe("Europe/Berlin");
    }

    [Fact]
    public void Config_environment_and_env_flags_are_added_with_flags_winning()
    {
        var ns = LaunchPlannerFixture.Namespace with
        {
            Environment = EnvironmentConfig.Empty with { FromMap = new Dictionary<string, string> { ["MODE"] = "config", ["EDITOR"] = "vim" } },
        };

        var spec = _host.Plan(ns, _host.Request with { Env = ["MODE=flag"] }).Spec;

        spec.Environment["MODE"].ShouldBe("flag");
        spec.Environment["EDITOR"].ShouldBe("vim");
    }

    [Fact]
    public void A_fromEnv_variable_missing_on_the_host_becomes_a_plan_warning()
    {
        var ns = LaunchPlannerFixture.Namespace with
        {
            Environment = EnvironmentConfig.Empty with { FromEnv = new Dictionary<string, string> { ["TOKEN"] = "HOST_TOKEN" } },
        };

        var plan = _host.Plan(ns);

        plan.Warnings.ShouldHaveSingleItem().ShouldContain("$HOST_TOKEN is not set on the host");
        plan.Spec.Environment.Keys.ShouldNotContain("TOKEN");
    }

    [Fact]
    public void The_sandbox_is_owned_by_the_launcher_in_its_namespace_project_and_session_and_named_after_the_namespace()
    {
        var plan = _host.Plan();

        plan.Owner.ShouldBe(new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Namespace = "work", Project = _host.Project, Session = plan.SessionName });
        plan.LabelledSpec.Labels.ShouldBe(new Dictionary<string, string>
        {
            [SandboxLabels.Owner] = "launcher",
            [SandboxLabels.Namespace] = "work",
            [SandboxLabels.Project] = _host.Project,
            [SandboxLabels.Session] = plan.SessionName,
        });
        plan.Spec.Hostname.ShouldBe("work");
        plan.Spec.Image.ShouldBe("localhost/airlock:work");
        plan.Spec.Interactive.ShouldBeTrue();
        plan.SessionName.ShouldMatch("^airlock-work-[0-9a-f]{8}$");
        plan.DisplayMode.ShouldBe("none");
    }

    [Fact]
    public void Two_plans_get_different_session_names()
    {
        _host.Plan().SessionName.ShouldNotBe(_host.Plan().SessionName);
    }

    [Fact]
    public void An_image_flag_replaces_the_namespace_image_and_tty_is_passed_through()
    {
        var spec = _host.Plan(request: _host.Request with { Image = "localhost/other:1", Tty = true }).Spec;

        spec.Image.ShouldBe("localhost/other:1");
        spec.Tty.ShouldBeTrue();
    }

    [Fact]
    public void The_command_comes_from_the_positional_args_first()
    {
        var spec = _host.Plan(
            LaunchPlannerFixture.Namespace with { Command = ["from-config"] },
            _host.Request with { Command = ["positional", "arg"], CommandFlag = "from flag" }).Spec;

        spec.Command.ShouldBe(["positional", "arg"]);
    }

    [Fact]
    public void The_command_flag_is_split_like_a_shell_and_wins_over_the_config()
    {
        var spec = _host.Plan(
            LaunchPlannerFixture.Namespace with { Command = ["from-config"] },
            _host.Request with { Command = [], CommandFlag = "claude --model 'opus 4'" }).Spec;

        spec.Command.ShouldBe(["claude", "--model", "opus 4"]);
    }

    [Fact]
    public void The_config_command_is_used_when_no_flag_gives_one()
    {
        _host.Plan(LaunchPlannerFixture.Namespace with { Command = ["from-config"] }).Spec.Command.ShouldBe(["from-config"]);
    }

    [Fact]
    public void Without_any_command_the_image_default_is_used()
    {
        _host.Plan().Spec.Command.ShouldBeNull();
    }

    [Fact]
    public void A_command_flag_with_an_unclosed_quote_is_refused_naming_the_flag()
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { CommandFlag = "claude 'oops" }));

        ex.Message.ShouldStartWith("--command: unclosed single quote");
    }

    [Fact]
    public void Limits_default_to_8_gib_4096_processes_and_all_cpus_of_the_host_but_one()
    {
        _host.Plan().Spec.Limits.ShouldBe(new SandboxLimits(8L * 1024 * 1024 * 1024, 3, 4096), "the fixture's host has 4 CPUs");
    }

    [Fact]
    public void Config_limits_override_the_defaults()
    {
        var ns = LaunchPlannerFixture.Namespace with { Limits = new LimitsConfig(2L * 1024 * 1024 * 1024, 1.5, 100) };

        _host.Plan(ns).Spec.Limits.ShouldBe(new SandboxLimits(2L * 1024 * 1024 * 1024, 1.5, 100));
    }

    [Fact]
    public void A_config_limit_of_zero_lifts_it()
    {
        var ns = LaunchPlannerFixture.Namespace with { Limits = new LimitsConfig(0, 0, 0) };

        _host.Plan(ns).Spec.Limits.ShouldBe(new SandboxLimits(null, null, null));
    }

    [Fact]
    public void Network_mode_comes_from_the_config_and_host_ports_from_config_and_flags_without_duplicates()
    {
        var ns = LaunchPlannerFixture.Namespace with { Network = "allowlist", HostPorts = [11434, 8000] };

        var spec = _host.Plan(ns, _host.Request with { HostPorts = [8000, 9000] }).Spec;

        spec.Network.ShouldBe(spec.Network with { Mode = "allowlist" });
        spec.Network.HostPorts.ShouldBe([11434, 8000, 9000]);
    }

    [Fact]
    public void Host_ports_with_no_network_are_a_problem_that_names_the_mode_that_has_them()
    {
        var ns = LaunchPlannerFixture.Namespace with { Network = "none" };

        var ex = Should.Throw<LauncherException>(() => _host.Plan(ns, _host.Request with { HostPorts = [11434] }));

        ex.Message.ShouldContain("--host-port");
        ex.Message.ShouldContain("--network allowlist");
    }

    [Fact]
    public void A_namespace_without_a_network_setting_from_before_allowlist_was_the_default_keeps_the_bridge()
    {
        _host.Plan().Spec.Network.Mode.ShouldBe("bridge");
    }

    [Fact]
    public void The_display_flag_wins_over_the_config_display()
    {
        var hostEnv = FakeHostEnvironment.Of(("DISPLAY", ":0"));

        var plan = _host.Plan(LaunchPlannerFixture.Namespace with { Display = "x11" }, _host.Request with { Display = "none" }, hostEnv: hostEnv);

        plan.DisplayMode.ShouldBe("none");
        plan.Spec.Environment.Keys.ShouldNotContain("DISPLAY");
    }

    [Fact]
    public void A_config_display_adds_its_variables_and_runtime_dir()
    {
        var plan = _host.Plan(LaunchPlannerFixture.Namespace with { Display = "x11" }, hostEnv: FakeHostEnvironment.Of(("DISPLAY", ":0")));

        plan.DisplayMode.ShouldBe("x11");
        plan.Spec.Environment["DISPLAY"].ShouldBe(":0");
        plan.Spec.Environment["XDG_RUNTIME_DIR"].ShouldBe("/run/user/1234");
        plan.Spec.Tmpfs.Keys.ShouldBe(["/run/user/1234", "/tmp", "/var/tmp"], ignoreOrder: true);
    }

    public void Dispose() => _host.Dispose();
}
