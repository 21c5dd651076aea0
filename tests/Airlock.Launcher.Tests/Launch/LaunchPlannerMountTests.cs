using Airlock.Launcher.Launch;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;

namespace Airlock.Launcher.Tests.Launch;

public sealed class LaunchPlannerMountTests : IDisposable
{
    private readonly LaunchPlannerFixture _host = new();

    private static IEnumerable<SandboxMount> LocaltimeIfPresent =>
        File.Exists("/etc/localtime") ? [new SandboxMount("/etc/localtime", "/etc/localtime", ReadOnly: true)] : [];

    [Fact]
    public void Only_the_namespace_home_and_the_project_are_mounted_when_nothing_else_is_asked()
    {
        var spec = _host.Plan().Spec;

        spec.Mounts.ShouldBe(
        [
            new SandboxMount(_host.Paths.NamespaceHome("work"), "/home/airlock"),
            new SandboxMount(_host.Project, _host.Project),
            .. LocaltimeIfPresent,
        ]);
        spec.WorkingDirectory.ShouldBe(_host.Project);
        spec.Ports.ShouldBeEmpty();
        spec.Devices.ShouldBeEmpty();
        spec.Tmpfs.Keys.ShouldBe(["/tmp", "/var/tmp"], ignoreOrder: true);
    }

    [Fact]
    public void A_copy_of_the_host_gitconfig_without_credentials_is_mounted_read_only_where_the_seeded_gitconfig_includes_it()
    {
        _host.Write("home/.gitconfig", "[user]\n\tname = Dev\n[credential]\n\thelper = store\n");

        var plan = _host.Plan();

        var (copy, content) = plan.HostFiles.ShouldHaveSingleItem();
        content.ShouldBe("[user]\n\tname = \"Dev\"\n");
        Path.GetDirectoryName(copy).ShouldBe(_host.Paths.HostGitConfigDir);
        plan.Spec.Mounts.ShouldContain(new SandboxMount(copy, "/etc/airlock/host.gitconfig", ReadOnly: true));
        plan.Spec.Mounts.Count(m => m.Target == "/etc/airlock/host.gitconfig").ShouldBe(1);
        File.Exists(copy).ShouldBeFalse("planning writes nothing; the launch does, just before the create");
    }

    [Fact]
    public void The_host_timezone_is_mounted_read_only_when_the_host_has_one()
    {
        var spec = _host.Plan().Spec;

        spec.Mounts.Where(m => m.Target == "/etc/localtime").ShouldBe(LocaltimeIfPresent);
    }

    [Fact]
    public void A_relative_project_dir_is_made_absolute()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _host.Project);

        var spec = _host.Plan(request: _host.Request with { ProjectDir = relative }).Spec;

        spec.WorkingDirectory.ShouldBe(_host.Project);
        spec.Mounts.ShouldContain(new SandboxMount(_host.Project, _host.Project));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/run")]
    [InlineData("/var/run")]
    [InlineData("/var")]
    [InlineData("/run/podman")]
    [InlineData("/run/user")]
    [InlineData("/run/user/1234")]
    [InlineData("/run/user/1234/podman")]
    public void A_project_dir_that_is_the_root_or_holds_an_engine_socket_is_refused(string project)
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { ProjectDir = project }));

        ex.Message.ShouldStartWith($"refusing to mount {project}");
        ex.Message.ShouldEndWith(" as the project: it would expose the whole host or an engine socket. cd into a project directory first");
    }

    [Fact]
    public void Config_volumes_then_flag_volumes_are_added_after_the_fixed_mounts()
    {
        _host.CreateDirectory("home/data");
        var cache = _host.CreateDirectory("cache");

        var spec = _host.Plan(
            LaunchPlannerFixture.Namespace with { Volumes = ["~/data:/data:ro"] },
            _host.Request with { Volumes = [$"{cache}:~/.cache"] }).Spec;

        spec.Mounts.TakeLast(2).ShouldBe(
        [
            new SandboxMount(Path.Combine(_host.Home, "data"), "/data", ReadOnly: true),
            new SandboxMount(cache, "/home/airlock/.cache"),
        ]);
    }

    [Fact]
    public void A_bad_config_volume_is_refused_naming_its_setting()
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(LaunchPlannerFixture.Namespace with { Volumes = ["~/missing"] }));

        ex.Message.ShouldStartWith("namespaces.work.volumes[0] '~/missing':");
    }

    [Theory]
    [InlineData("/run")]
    [InlineData("/var")]
    [InlineData("/")]
    public void A_volume_that_exposes_an_engine_socket_is_refused_before_anything_is_created(string source)
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { Volumes = [$"{source}:/mnt"] }));

        // Named by the flag it came from, not by its index among the spec's mounts.
        ex.Message.ShouldStartWith($"--volume '{source}:/mnt': ");
        ex.Message.ShouldContain("would expose a container engine socket");
    }

    [Fact]
    public void Every_bad_flag_is_reported_at_once()
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { Forwards = ["99999"], Volumes = ["/no/such/dir:/x"], Env = ["BAD-NAME=1"] }));

        ex.Message.ShouldStartWith("this launch has 3 problems:");
        ex.Message.ShouldContain("--env 'BAD-NAME=1'");
        ex.Message.ShouldContain("--volume '/no/such/dir:/x'");
        ex.Message.ShouldContain("--forward '99999'");
    }

    [Fact]
    public void Config_and_flag_forwards_become_ports()
    {
        var spec = _host.Plan(
            LaunchPlannerFixture.Namespace with { PortForwarding = [new(80, 8080, "0.0.0.0")] },
            _host.Request with { Forwards = ["3000"] }).Spec;

        spec.Ports.ShouldBe([new PortForward(80, 8080, "0.0.0.0"), new PortForward(3000, 3000, "127.0.0.1")]);
    }

    [Fact]
    public void A_config_port_out_of_range_is_refused_with_its_path()
    {
        var ex = Should.Throw<ValidationException>(() => _host.Plan(LaunchPlannerFixture.Namespace with { PortForwarding = [new(80, 70000)] }));

        ex.Errors.ShouldHaveSingleItem().ShouldBe(new ValidationError("namespaces.work.ports[0].hostPort", "70000 is not a port (1-65535, or 0 for any free port)"));
    }

    public void Dispose() => _host.Dispose();
}
