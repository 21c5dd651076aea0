using Airlock.Engine.Identity;

namespace Airlock.Engine.Tests.Identity;

public sealed class EngineRuntimesTests
{
    [Fact]
    public void Dockers_info_gives_its_runtimes_by_name_and_its_default()
    {
        // Docker 20.10's /info, cut down to what is read.
        var runtimes = EngineRuntimes.Parse("""
            {"Runtimes":{"airlock-runsc":{"path":"/usr/local/libexec/airlock/runsc"},"io.containerd.runc.v2":{"path":"runc"},
             "runc":{"path":"runc","runtimeArgs":["--debug"]}},"DefaultRuntime":"runc","NCPU":2}
            """);

        runtimes.Names.ShouldBe(["airlock-runsc", "io.containerd.runc.v2", "runc"]);
        runtimes.Default.ShouldBe("runc");
        runtimes.Contains("airlock-runsc").ShouldBeTrue();
        runtimes.Contains("runsc").ShouldBeFalse();
    }

    [Fact]
    public void Podmans_compat_info_lists_every_configured_runtime_in_the_same_shape()
    {
        // podman 4.3's compat /info: its built-in list (kata, krun, runj, ...) is there whether installed or not.
        var runtimes = EngineRuntimes.Parse("""
            {"Runtimes":{"crun":{"path":"/usr/bin/crun"},"kata":{"path":"/usr/bin/kata-runtime"},"runc":{"path":"/usr/bin/runc"},
             "runsc":{"path":"/usr/bin/runsc"},"airlock-runsc":{"path":"/usr/local/libexec/airlock/runsc"}},"DefaultRuntime":"runc","Rootless":false}
            """);

        runtimes.Names.ShouldBe(["airlock-runsc", "crun", "kata", "runc", "runsc"]);
        runtimes.Default.ShouldBe("runc");
    }

    [Fact]
    public void An_info_without_runtimes_has_none()
    {
        var runtimes = EngineRuntimes.Parse("""{"NCPU":2}""");

        runtimes.Names.ShouldBeEmpty();
        runtimes.Default.ShouldBeNull();
    }
}
