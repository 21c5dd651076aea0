using Airlock.Launcher.Identity;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Identity;

public sealed class UserMappingTests
{
    private static readonly HostUser User = new(1234, 2345, "dev", "/home/dev");

    [Fact]
    public void Rootful_engines_run_the_sandbox_as_the_host_uid_and_gid()
    {
        UserMapping.For(User, TestEngines.RootfulPodman).ShouldBe(new UserMapping(1234, 2345, "1234:2345", null));
        UserMapping.For(User, TestEngines.RootfulDocker).ShouldBe(new UserMapping(1234, 2345, "1234:2345", null));
    }

    [Fact]
    public void Rootless_podman_keeps_the_host_uid_through_keep_id()
    {
        UserMapping.For(User, TestEngines.RootlessPodman).ShouldBe(new UserMapping(1234, 2345, "1234:2345", "keep-id"));
    }

    [Fact]
    public void Rootless_docker_runs_as_container_root_which_is_the_host_user()
    {
        UserMapping.For(User, TestEngines.RootlessDocker).ShouldBe(new UserMapping(0, 0, "0:0", null));
    }
}
