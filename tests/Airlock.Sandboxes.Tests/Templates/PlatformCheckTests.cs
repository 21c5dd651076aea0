using System.Runtime.InteropServices;
using Airlock.Engine;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Templates;

namespace Airlock.Sandboxes.Tests.Templates;

public sealed class PlatformCheckTests
{
    private static readonly TemplateMetadata LinuxAmd64Podman = TemplateMetadata.Empty with
    {
        Platforms = [new TemplatePlatform("linux", "amd64", "podman"), new TemplatePlatform("linux", "arm64", "*")],
    };

    /// <summary>An engine as the engine client reports it: its kind, and the os/arch its <c>/version</c> gives.</summary>
    private static EngineIdentity Engine(EngineKind kind, string os, string arch) =>
        new(kind, "5.0.0", EngineApiVersion.Pinned, EngineApiVersion.Pinned, Rootless: false, os, arch, "6.1.0");

    [Fact]
    public void A_template_without_platforms_runs_anywhere()
    {
        Should.NotThrow(() => PlatformCheck.Ensure("t", TemplateMetadata.Empty, Engine(EngineKind.Docker, "darwin", "riscv64")));
    }

    [Fact]
    public void A_listed_os_arch_and_runtime_is_accepted()
    {
        Should.NotThrow(() => PlatformCheck.Ensure("t", LinuxAmd64Podman, Engine(EngineKind.Podman, "linux", "amd64")));
    }

    [Theory]
    [InlineData(EngineKind.Podman)]
    [InlineData(EngineKind.Docker)]
    public void A_platform_without_runtime_accepts_every_engine(EngineKind engine)
    {
        Should.NotThrow(() => PlatformCheck.Ensure("t", LinuxAmd64Podman, Engine(engine, "linux", "arm64")));
    }

    [Theory]
    [InlineData("linux", "amd64", EngineKind.Docker, "linux/amd64/docker")]
    [InlineData("darwin", "amd64", EngineKind.Podman, "darwin/amd64/podman")]
    [InlineData("linux", "riscv64", EngineKind.Podman, "linux/riscv64/podman")]
    public void An_unlisted_os_arch_or_runtime_is_refused_listing_the_supported_ones(string os, string arch, EngineKind engine, string host)
    {
        var ex = Should.Throw<TemplateRefusedException>(() => PlatformCheck.Ensure("gpu", LinuxAmd64Podman, Engine(engine, os, arch)));

        ex.Message.ShouldStartWith($"template 'gpu' does not support this host ({host}); it supports: linux/amd64/podman, linux/arm64/*.");
        ex.Message.ShouldContain("AIRLOCK_ENGINE=podman|docker");
    }

    [Fact]
    public void A_remote_node_is_checked_as_the_os_and_arch_its_engine_reports_not_as_this_machine()
    {
        // A tcp:// node of the other architecture than the one this process runs on.
        var (here, there) = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? ("arm64", "amd64") : ("amd64", "arm64");
        var remote = Engine(EngineKind.Docker, "linux", there);
        var onlyThere = TemplateMetadata.Empty with { Platforms = [new TemplatePlatform("linux", there, "*")] };
        var onlyHere = TemplateMetadata.Empty with { Platforms = [new TemplatePlatform("linux", here, "*")] };

        Should.NotThrow(() => PlatformCheck.Ensure("t", onlyThere, remote));
        Should.Throw<TemplateRefusedException>(() => PlatformCheck.Ensure("t", onlyHere, remote))
            .Message.ShouldStartWith($"template 't' does not support this host (linux/{there}/docker); it supports: linux/{here}/*.");
    }
}
