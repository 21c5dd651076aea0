using Airlock.Launcher.Display;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Tests.Display;

public sealed class DisplayPlannerTests
{
    private static readonly HostUser User = new(1234, 2345, "dev", "/home/dev");
    private const string RuntimeDir = "/run/user/1234";
    private const string RuntimeTmpfs = "rw,nosuid,nodev,size=64m,mode=0700,uid=1234,gid=2345";

    private readonly List<string> _warnings = [];

    private DisplayPlan Plan(string mode, Func<string, string?> env, params string[] existing) =>
        DisplayPlanner.Plan(mode, User, env, _warnings, existing.Contains);

    [Fact]
    public void None_exposes_nothing_of_the_display()
    {
        var plan = Plan("none", FakeHostEnvironment.Of(("DISPLAY", ":0"), ("WAYLAND_DISPLAY", "wayland-0")), "/tmp/.X11-unix", "/dev/dri");

        plan.ShouldBe(DisplayPlan.None);
        _warnings.ShouldBeEmpty();
    }

    [Fact]
    public void X11_with_display_set_forwards_the_socket_dir_the_cookie_read_only_and_the_gpu()
    {
        var env = FakeHostEnvironment.Of(("DISPLAY", ":1"), ("XAUTHORITY", "/run/user/1234/xauth_abc"));

        var plan = Plan("x11", env, "/tmp/.X11-unix", "/run/user/1234/xauth_abc", "/dev/dri");

        plan.Mode.ShouldBe("x11");
        plan.Mounts.ShouldBe(
        [
            new SandboxMount("/tmp/.X11-unix", "/tmp/.X11-unix"),
            new SandboxMount("/run/user/1234/xauth_abc", "/etc/airlock/Xauthority", ReadOnly: true),
        ]);
        plan.Environment.ShouldBe(new Dictionary<string, string>
        {
            ["XDG_RUNTIME_DIR"] = RuntimeDir,
            ["DISPLAY"] = ":1",
            ["XAUTHORITY"] = "/etc/airlock/Xauthority",
        });
        plan.Devices.ShouldBe(["/dev/dri"]);
        plan.Tmpfs.ShouldBe(new Dictionary<string, string> { [RuntimeDir] = RuntimeTmpfs });
        _warnings.ShouldBeEmpty();
    }

    [Fact]
    public void On_podman_the_runtime_dir_is_chowned_with_its_U_option_which_it_has_instead_of_uid_and_gid()
    {
        var plan = DisplayPlanner.Plan("x11", User, FakeHostEnvironment.Of(("DISPLAY", ":0")), _warnings, _ => false, Airlock.Engine.Identity.EngineKind.Podman);

        plan.Tmpfs.ShouldBe(new Dictionary<string, string> { [RuntimeDir] = "rw,nosuid,nodev,size=64m,mode=0700,U" });
    }

    [Fact]
    public void X11_takes_the_cookie_from_the_home_when_xauthority_is_not_set()
    {
        var plan = Plan("x11", FakeHostEnvironment.Of(("DISPLAY", ":0")), "/home/dev/.Xauthority");

        plan.Mounts.ShouldBe([new SandboxMount("/home/dev/.Xauthority", "/etc/airlock/Xauthority", ReadOnly: true)]);
    }

    [Fact]
    public void X11_leaves_out_what_the_host_does_not_have()
    {
        var plan = Plan("x11", FakeHostEnvironment.Of(("DISPLAY", ":0")));

        plan.Mode.ShouldBe("x11");
        plan.Mounts.ShouldBeEmpty();
        plan.Devices.ShouldBeEmpty();
        plan.Environment.ShouldBe(new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = RuntimeDir, ["DISPLAY"] = ":0" });
    }

    [Fact]
    public void X11_without_display_warns_and_forwards_nothing()
    {
        var plan = Plan("x11", FakeHostEnvironment.Empty, "/tmp/.X11-unix", "/dev/dri");

        plan.ShouldBe(DisplayPlan.None);
        _warnings.ShouldBe(["--display x11: DISPLAY is not set on the host, so no display is forwarded"]);
    }

    [Fact]
    public void Wayland_forwards_the_compositor_socket_into_the_private_runtime_dir()
    {
        var env = FakeHostEnvironment.Of(("WAYLAND_DISPLAY", "wayland-1"), ("XDG_RUNTIME_DIR", "/run/user/1000"));

        var plan = Plan("wayland", env, "/dev/dri");

        plan.Mode.ShouldBe("wayland");
        plan.Mounts.ShouldBe([new SandboxMount("/run/user/1000/wayland-1", $"{RuntimeDir}/wayland-1")]);
        plan.Environment.ShouldBe(new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = RuntimeDir, ["WAYLAND_DISPLAY"] = "wayland-1" });
        plan.Devices.ShouldBe(["/dev/dri"]);
        plan.Tmpfs.ShouldBe(new Dictionary<string, string> { [RuntimeDir] = RuntimeTmpfs });
    }

    [Fact]
    public void Wayland_with_an_absolute_socket_path_mounts_that_path()
    {
        var env = FakeHostEnvironment.Of(("WAYLAND_DISPLAY", "/tmp/wl/wayland-9"), ("XDG_RUNTIME_DIR", "/run/user/1000"));

        var plan = Plan("wayland", env);

        plan.Mounts.ShouldBe([new SandboxMount("/tmp/wl/wayland-9", $"{RuntimeDir}/wayland-9")]);
        plan.Environment["WAYLAND_DISPLAY"].ShouldBe("wayland-9");
    }

    [Theory]
    [InlineData(null, "/run/user/1000")]
    [InlineData("wayland-0", null)]
    public void Wayland_without_its_variables_warns_and_forwards_nothing(string? wayland, string? runtime)
    {
        var vars = new List<(string, string)>();
        if (wayland is not null)
        {
            vars.Add(("WAYLAND_DISPLAY", wayland));
        }

        if (runtime is not null)
        {
            vars.Add(("XDG_RUNTIME_DIR", runtime));
        }

        var plan = Plan("wayland", FakeHostEnvironment.Of([.. vars]));

        plan.ShouldBe(DisplayPlan.None);
        _warnings.ShouldBe(["--display wayland: WAYLAND_DISPLAY or XDG_RUNTIME_DIR is not set on the host, so no display is forwarded"]);
    }

    [Theory]
    [InlineData("wayland-0", ":0", "wayland")]
    [InlineData("wayland-0", null, "wayland")]
    [InlineData(null, ":0", "x11")]
    [InlineData("", ":0", "x11")]
    [InlineData(null, null, "none")]
    public void Auto_picks_wayland_then_x11_then_none(string? wayland, string? display, string chosen)
    {
        var vars = new List<(string, string)> { ("XDG_RUNTIME_DIR", "/run/user/1000") };
        if (wayland is not null)
        {
            vars.Add(("WAYLAND_DISPLAY", wayland));
        }

        if (display is not null)
        {
            vars.Add(("DISPLAY", display));
        }

        var plan = Plan("auto", FakeHostEnvironment.Of([.. vars]));

        plan.Mode.ShouldBe(chosen);
        _warnings.ShouldBeEmpty("auto never warns: it forwards what the host has");
    }

    [Fact]
    public void The_session_bus_is_forwarded_into_the_runtime_dir_when_its_socket_exists()
    {
        var env = FakeHostEnvironment.Of(("DISPLAY", ":0"), ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus,guid=abc"));

        var plan = Plan("x11", env, "/run/user/1000/bus");

        plan.Mounts.ShouldBe([new SandboxMount("/run/user/1000/bus", $"{RuntimeDir}/bus")]);
        plan.Environment["DBUS_SESSION_BUS_ADDRESS"].ShouldBe($"unix:path={RuntimeDir}/bus");
    }

    [Theory]
    [InlineData("unix:path=/run/user/1000/bus")]
    [InlineData("unix:abstract=/tmp/dbus-XYZ")]
    public void The_session_bus_is_left_out_when_its_socket_is_not_a_file_on_the_host(string address)
    {
        var plan = Plan("x11", FakeHostEnvironment.Of(("DISPLAY", ":0"), ("DBUS_SESSION_BUS_ADDRESS", address)));

        plan.Mounts.ShouldBeEmpty();
        plan.Environment.Keys.ShouldNotContain("DBUS_SESSION_BUS_ADDRESS");
    }

    [Fact]
    public void The_system_bus_is_forwarded_when_the_host_has_one()
    {
        var plan = Plan("x11", FakeHostEnvironment.Of(("DISPLAY", ":0")), "/run/dbus/system_bus_socket");

        plan.Mounts.ShouldBe([new SandboxMount("/run/dbus/system_bus_socket", "/run/dbus/system_bus_socket")]);
    }

    [Fact]
    public void An_unknown_mode_is_refused_with_the_choices()
    {
        var ex = Should.Throw<LauncherException>(() => Plan("vnc", FakeHostEnvironment.Empty));

        ex.Message.ShouldBe("--display 'vnc': use x11, wayland, auto or none");
    }
}
