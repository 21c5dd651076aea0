using Airlock.Engine.Containers;
using Airlock.Engine.Identity;

namespace Airlock.Engine.Tests.Containers;

/// <summary>What podman and Docker take differently in a create: a seccomp profile, extra masked paths, bind and tmpfs options.</summary>
public sealed class ContainerCreateBodyPerEngineTests
{
    private static readonly ContainerCreateOptions Walled = new()
    {
        Image = "localhost/img:1",
        SecurityOptions = ["no-new-privileges"],
        SeccompProfile = """{"defaultAction":"SCMP_ACT_ERRNO"}""",
        MaskedPaths = ["/proc/1/mem"],
        HardenBinds = true,
        Binds = [new BindMount("/home/me/project", "/home/me/project"), new BindMount("/etc/localtime", "/etc/localtime", ReadOnly: true)],
        Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=1g", ["/seeded"] = "tmpcopyup,size=1m" },
    };

    [Fact]
    public void Docker_takes_the_seccomp_profile_inline_and_podman_a_file()
    {
        ContainerCreateBody.From(Walled, EngineKind.Docker).HostConfig.SecurityOpt.ShouldBe(["no-new-privileges", """seccomp={"defaultAction":"SCMP_ACT_ERRNO"}"""]);
        ContainerCreateBody.From(Walled, EngineKind.Podman, "/state/seccomp-1.json").HostConfig.SecurityOpt
            .ShouldBe(["no-new-privileges", "seccomp=/state/seccomp-1.json", "mask=/proc/1/mem"]);
        Should.Throw<ArgumentException>(() => ContainerCreateBody.From(Walled, EngineKind.Podman));
    }

    [Fact]
    public void Docker_gets_its_own_masked_paths_back_with_the_extra_ones_as_it_replaces_them()
    {
        var masked = ContainerCreateBody.From(Walled, EngineKind.Docker).HostConfig.MaskedPaths.ShouldNotBeNull();

        masked.ShouldContain("/proc/kcore");
        masked.ShouldContain("/proc/keys");
        masked.ShouldContain("/sys/firmware");
        masked[^1].ShouldBe("/proc/1/mem");
        ContainerCreateBody.From(Walled, EngineKind.Podman, "/p").HostConfig.MaskedPaths.ShouldBeNull("podman ignores the field; its mask= option adds to its defaults");
        ContainerCreateBody.From(Walled with { MaskedPaths = [] }, EngineKind.Docker).HostConfig.MaskedPaths.ShouldBeNull("nothing extra keeps Docker's own");
    }

    [Fact]
    public void Binds_are_nosuid_nodev_on_podman_and_as_they_are_on_docker_whose_binds_have_no_such_options()
    {
        ContainerCreateBody.From(Walled, EngineKind.Podman, "/p").HostConfig.Binds
            .ShouldBe(["/home/me/project:/home/me/project:nosuid,nodev", "/etc/localtime:/etc/localtime:ro,nosuid,nodev"]);
        ContainerCreateBody.From(Walled, EngineKind.Docker).HostConfig.Binds
            .ShouldBe(["/home/me/project:/home/me/project", "/etc/localtime:/etc/localtime:ro"]);
    }

    [Fact]
    public void A_podman_tmpfs_gets_no_copy_of_what_it_hides_unless_asked()
    {
        ContainerCreateBody.From(Walled, EngineKind.Podman, "/p").HostConfig.Tmpfs.ShouldBe(new Dictionary<string, string>
        {
            ["/tmp"] = "rw,size=1g,notmpcopyup",
            ["/seeded"] = "tmpcopyup,size=1m",
        });
        ContainerCreateBody.From(Walled, EngineKind.Docker).HostConfig.Tmpfs.ShouldBe(Walled.Tmpfs);
    }

    [Fact]
    public void Without_a_profile_the_engines_default_applies()
    {
        var plain = Walled with { SeccompProfile = null, MaskedPaths = [] };

        ContainerCreateBody.From(plain, EngineKind.Docker).HostConfig.SecurityOpt.ShouldBe(["no-new-privileges"]);
        ContainerCreateBody.From(plain, EngineKind.Podman).HostConfig.SecurityOpt.ShouldBe(["no-new-privileges"]);
    }
}
