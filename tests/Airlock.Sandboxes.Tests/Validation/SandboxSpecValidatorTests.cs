using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;

namespace Airlock.Sandboxes.Tests.Validation;

public sealed class SandboxSpecValidatorTests
{
    private static readonly SandboxSpec Valid = new()
    {
        Image = "localhost/airlock:work",
        Environment = new Dictionary<string, string> { ["HOME"] = "/home/airlock", ["_private1"] = "x" },
        Mounts = [new SandboxMount("/home/dev/project", "/home/dev/project"), new SandboxMount("/etc/localtime", "/etc/localtime", ReadOnly: true)],
        Ports = [new PortForward(80, 8080), new PortForward(53, 0, "[::1]", "udp")],
        Security = new SecurityPolicy(["NET_BIND_SERVICE", "cap_kill"], ReadOnlyRootfs: false),
        Network = new NetworkPolicy("none", [11434]),
        Limits = new SandboxLimits(6L * 1024 * 1024, 0.5, 1),
    };

    [Fact]
    public void A_valid_spec_has_no_errors()
    {
        SandboxSpecValidator.Validate(Valid).ShouldBeEmpty();
    }

    [Fact]
    public void A_spec_with_only_an_image_and_the_defaults_is_valid()
    {
        SandboxSpecValidator.Validate(new SandboxSpec { Image = "debian" }).ShouldBeEmpty();
    }

    [Fact]
    public void Lifted_limits_are_valid()
    {
        SandboxSpecValidator.Validate(Valid with { Limits = new SandboxLimits(null, null, null) }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/var/run/docker.sock")]
    [InlineData("/run/docker.sock")]
    [InlineData("/run/podman/podman.sock")]
    [InlineData("/run/podman")]
    [InlineData("/run")]
    [InlineData("/var/run")]
    [InlineData("/var")]
    [InlineData("/")]
    [InlineData("/run/user/1000")]
    [InlineData("/run/user/1000/podman")]
    [InlineData("/home/dev/.docker/run/docker.sock")]
    [InlineData("/home/dev/project/../../../run")]
    public void A_mount_that_exposes_an_engine_socket_is_refused(string source)
    {
        var spec = Valid with { Mounts = [new SandboxMount(source, "/mnt")] };

        var error = SandboxSpecValidator.Validate(spec).ShouldHaveSingleItem();

        error.ShouldBe(new ValidationError(
            "sandbox.mounts[0].source",
            $"'{source}' would expose a container engine socket (and so the whole host) to the sandbox; mount a narrower directory"));
    }

    [Theory]
    [InlineData("/home/dev/project")]
    [InlineData("/run/user/1000/wayland-0")]
    [InlineData("/run/user/1000/bus")]
    [InlineData("/tmp/.X11-unix")]
    [InlineData("/run/dbus/system_bus_socket")]
    public void A_mount_beside_the_engine_sockets_is_allowed(string source)
    {
        SandboxSpecValidator.Validate(Valid with { Mounts = [new SandboxMount(source, "/mnt")] }).ShouldBeEmpty();
    }

    [Fact]
    public void A_relative_mount_source_and_a_bad_target_are_refused()
    {
        var spec = Valid with { Mounts = [new SandboxMount("project", "relative"), new SandboxMount("/data", "/home/airlock/../../etc")] };

        SandboxSpecValidator.Validate(spec).ShouldBe(
        [
            new ValidationError("sandbox.mounts[0].source", "'project' is not an absolute host path"),
            new ValidationError("sandbox.mounts[0].target", "'relative' is not an absolute container path without '..'"),
            new ValidationError("sandbox.mounts[1].target", "'/home/airlock/../../etc' is not an absolute container path without '..'"),
        ]);
    }

    [Fact]
    public void Bad_ports_are_refused_field_by_field()
    {
        var spec = Valid with { Ports = [new PortForward(0, 70000, "localhost", "sctp"), new PortForward(65536, -1)] };

        SandboxSpecValidator.Validate(spec).ShouldBe(
        [
            new ValidationError("sandbox.ports[0].containerPort", "0 is not a port (1-65535)"),
            new ValidationError("sandbox.ports[0].hostPort", "70000 is not a port (1-65535, or 0 for any free port)"),
            new ValidationError("sandbox.ports[0].hostAddress", "'localhost' is not an IP address"),
            new ValidationError("sandbox.ports[0].protocol", "'sctp' is not tcp or udp"),
            new ValidationError("sandbox.ports[1].containerPort", "65536 is not a port (1-65535)"),
            new ValidationError("sandbox.ports[1].hostPort", "-1 is not a port (1-65535, or 0 for any free port)"),
        ]);
    }

    [Theory]
    [InlineData("SYS_ADMIN")]
    [InlineData("CAP_SYS_ADMIN")]
    [InlineData("NET_ADMIN")]
    [InlineData("SYS_MODULE")]
    [InlineData("ALL")]
    [InlineData("SYS_PTRACE")]
    [InlineData("NET_RAW")]
    [InlineData("DAC_OVERRIDE")]
    [InlineData("CAP_FSETID")]
    [InlineData("MKNOD")]
    [InlineData("SETFCAP")]
    [InlineData("SETUID")]
    [InlineData("CHOWN")]
    public void A_capability_outside_the_grantable_set_is_refused_listing_the_allowed_ones(string cap)
    {
        var error = SandboxSpecValidator.Validate(Valid with { Security = new SecurityPolicy([cap], false) }).ShouldHaveSingleItem();

        error.ShouldBe(new ValidationError("sandbox.security.capAdd", $"'{cap}' cannot be granted to a sandbox; allowed: KILL, NET_BIND_SERVICE"));
    }

    [Theory]
    [InlineData("/proc/self/root")]
    [InlineData("/proc")]
    [InlineData("/sys/fs/cgroup")]
    [InlineData("/dev")]
    [InlineData("/dev/shm")]
    [InlineData("/home/dev/../../proc/1/root")]
    public void A_mount_from_the_kernels_or_the_devices_filesystems_is_refused(string source)
    {
        var error = SandboxSpecValidator.Validate(Valid with { Mounts = [new SandboxMount(source, "/mnt")] }).ShouldHaveSingleItem();

        error.Path.ShouldBe("sandbox.mounts[0].source");
        error.Message.ShouldStartWith($"'{source}' is part of /proc, /sys, /dev");
    }

    [Theory]
    [InlineData("NET_BIND_SERVICE")]
    [InlineData("CAP_KILL")]
    [InlineData("net_bind_service")]
    public void A_grantable_capability_is_accepted_with_or_without_prefix_in_any_case(string cap)
    {
        SandboxSpecValidator.Validate(Valid with { Security = new SecurityPolicy([cap], false) }).ShouldBeEmpty();
    }

    [Fact]
    public void Every_error_is_reported_together_under_the_given_root()
    {
        var spec = new SandboxSpec
        {
            Image = " ",
            Environment = new Dictionary<string, string> { ["1BAD"] = "x", ["MY-VAR"] = "y" },
            Mounts = [new SandboxMount("/run", "/run")],
            Ports = [new PortForward(0)],
            Security = new SecurityPolicy(["SYS_ADMIN"], false),
            Limits = new SandboxLimits(1024, 0, 0),
            Network = new NetworkPolicy("host", [0]),
        };

        var errors = SandboxSpecValidator.Validate(spec, "namespaces.work");

        errors.Select(e => e.Path).ShouldBe(
        [
            "namespaces.work.image",
            "namespaces.work.environment.1BAD",
            "namespaces.work.environment.MY-VAR",
            "namespaces.work.mounts[0].source",
            "namespaces.work.ports[0].containerPort",
            "namespaces.work.security.capAdd",
            "namespaces.work.limits.memory",
            "namespaces.work.limits.cpus",
            "namespaces.work.limits.pids",
            "namespaces.work.network.mode",
            "namespaces.work.network.hostPorts",
        ]);
        errors.ShouldAllBe(e => e.Line == null);
    }

    [Fact]
    public void The_validation_exception_lists_every_error_in_its_message()
    {
        var errors = new ValidationErrors();
        errors.Add("a.b", "is wrong", 3);
        errors.Add("c", "is also wrong");

        var ex = Should.Throw<ValidationException>(() => errors.ThrowIfAny("config.yaml"));

        ex.Message.ShouldBe($"config.yaml is not valid:{Environment.NewLine}  a.b (line 3): is wrong{Environment.NewLine}  c: is also wrong");
        ex.Errors.Count.ShouldBe(2);
    }

    [Fact]
    public void No_errors_throw_nothing()
    {
        Should.NotThrow(() => new ValidationErrors().ThrowIfAny("config.yaml"));
    }

    [Fact]
    public void Gvisor_with_podmans_keep_id_user_namespace_is_refused_naming_the_field()
    {
        var error = SandboxSpecValidator.Validate(Valid with { Isolation = IsolationLevel.Gvisor, UsernsMode = "keep-id" }).ShouldHaveSingleItem();

        error.Path.ShouldBe("sandbox.usernsMode");
        error.Message.ShouldContain("does not run under gvisor");
        SandboxSpecValidator.Validate(Valid with { UsernsMode = "keep-id" }).ShouldBeEmpty();
        SandboxSpecValidator.Validate(Valid with { Isolation = IsolationLevel.Gvisor }).ShouldBeEmpty();
    }
}
