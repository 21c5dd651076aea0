using Airlock.Engine.Identity;
using Airlock.Sandboxes.Templates;

namespace Airlock.Sandboxes.Tests.Templates;

public sealed class PlatformCheckTests
{
    private static readonly TemplateMetadata LinuxAmd64Podman = TemplateMetadata.Empty with
    {
        Platforms = [new TemplatePlatform("linux", "amd64", "podman"), new TemplatePlatform("linux", "arm64", "*")],
    };

    [Fact]
    public void A_template_without_platforms_runs_anywhere()
    {
        Should.NotThrow(() => PlatformCheck.Ensure("t", TemplateMetadata.Empty, EngineKind.Docker, "darwin", "riscv64"));
    }

    [Fact]
    public void A_listed_os_arch_and_runtime_is_accepted()
    {
        Should.NotThrow(() => PlatformCheck.Ensure("t", LinuxAmd64Podman, EngineKind.Podman, "linux", "amd64"));
    }

    [Theory]
    [InlineData(EngineKind.Podman)]
    [InlineData(EngineKind.Docker)]
    public void A_platform_without_runtime_accepts_every_engine(EngineKind engine)
    {
        Should.NotThrow(() => PlatformCheck.Ensure("t", LinuxAmd64Podman, engine, "linux", "arm64"));
    }

    [Theory]
    [InlineData("linux", "amd64", EngineKind.Docker, "linux/amd64/docker")]
    [InlineData("darwin", "amd64", EngineKind.Podman, "darwin/amd64/podman")]
    [InlineData("linux", "riscv64", EngineKind.Podman, "linux/riscv64/podman")]
    public void An_unlisted_os_arch_or_runtime_is_refused_listing_the_supported_ones(string os, string arch, EngineKind engine, string host)
    {
        var ex = Should.Throw<TemplateRefusedException>(() => PlatformCheck.Ensure("gpu", LinuxAmd64Podman, engine, os, arch));

        ex.Message.ShouldStartWith($"template 'gpu' does not support this host ({host}); it supports: linux/amd64/podman, linux/arm64/*.");
        ex.Message.ShouldContain("AIRLOCK_ENGINE=podman|docker");
    }

    [Fact]
    public void The_host_defaults_are_this_machine()
    {
        PlatformCheck.HostOs.ShouldBe(OperatingSystem.IsMacOS() ? "darwin" : "linux");
        PlatformCheck.HostArch.ShouldBeOneOf("amd64", "arm64");
        Should.NotThrow(() => PlatformCheck.Ensure(
            "t", TemplateMetadata.Empty with { Platforms = [new TemplatePlatform(PlatformCheck.HostOs, PlatformCheck.HostArch, "podman")] }, EngineKind.Podman));
    }
}
