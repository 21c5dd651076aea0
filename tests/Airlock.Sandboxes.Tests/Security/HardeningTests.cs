using Airlock.Sandboxes.Security;

namespace Airlock.Sandboxes.Tests.Security;

public sealed class HardeningTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/run")]
    [InlineData("/run/")]
    [InlineData("/var/run")]
    [InlineData("/var/run/docker.sock")]
    [InlineData("/run/containerd")]
    [InlineData("/run/crio/crio.sock")]
    [InlineData("/run/user")]
    [InlineData("/run/user/1000")]
    [InlineData("/run/user/1000/podman")]
    [InlineData("/run/user/1000/podman/podman.sock")]
    [InlineData("/run/user/1000/docker.sock")]
    [InlineData("/var/run/user/1000")]
    [InlineData("/srv/custom/podman.sock")]
    public void Paths_that_are_or_hold_an_engine_socket_are_exposing(string path)
    {
        Hardening.ExposesEngineSocket(path).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/home/dev/project")]
    [InlineData("/tmp")]
    [InlineData("/run/user/1000/bus")]
    [InlineData("/run/user/1000/wayland-0")]
    [InlineData("/run/dbus/system_bus_socket")]
    [InlineData("/etc/localtime")]
    public void Paths_beside_the_engine_sockets_are_not_exposing(string path)
    {
        Hardening.ExposesEngineSocket(path).ShouldBeFalse();
    }

    [Fact]
    public void An_extra_socket_makes_the_dirs_above_it_exposing()
    {
        Hardening.ExposesEngineSocket("/srv/engine", ["/srv/engine/api.sock"]).ShouldBeTrue();
        Hardening.ExposesEngineSocket("/srv/engine").ShouldBeFalse();
    }

    [Fact]
    public void Every_capability_is_dropped_and_the_grantable_ones_never_reach_the_kernel_at_large()
    {
        Hardening.CapDrop.ShouldBe(["ALL"]);
        Hardening.NoNewPrivileges.ShouldBe("no-new-privileges");
        Hardening.GrantableCapabilities.ShouldNotContain("SYS_ADMIN");
        Hardening.GrantableCapabilities.ShouldNotContain("NET_ADMIN");
        Hardening.GrantableCapabilities.ShouldNotContain("SYS_MODULE");
        Hardening.GrantableCapabilities.Contains("net_bind_service").ShouldBeTrue("lookups ignore case");
    }

    [Theory]
    [InlineData("SYS_PTRACE")]
    [InlineData("NET_RAW")]
    [InlineData("DAC_OVERRIDE")]
    [InlineData("FOWNER")]
    [InlineData("FSETID")]
    [InlineData("CHOWN")]
    [InlineData("SETUID")]
    [InlineData("SETGID")]
    [InlineData("MKNOD")]
    [InlineData("SETFCAP")]
    [InlineData("SETPCAP")]
    [InlineData("SYS_CHROOT")]
    [InlineData("AUDIT_WRITE")]
    public void Capabilities_that_reach_the_host_or_other_sandboxes_are_not_grantable(string cap)
    {
        Hardening.GrantableCapabilities.ShouldNotContain(cap);
    }

    [Theory]
    [InlineData("/proc", true)]
    [InlineData("/proc/self/root", true)]
    [InlineData("/sys/", true)]
    [InlineData("/dev/shm", true)]
    [InlineData("/home/../dev", true)]
    [InlineData("/devices", false)]
    [InlineData("/home/dev/proc", false)]
    [InlineData("/processes", false)]
    public void The_kernels_and_the_devices_filesystems_are_recognised_by_path(string path, bool kernel)
    {
        Hardening.IsKernelFilesystem(path).ShouldBe(kernel);
    }
}
