using System.Text.Json;
using Airlock.Engine.Containers;
using Airlock.Engine.Json;

namespace Airlock.Engine.Tests.Containers;

public sealed class ContainerCreateBodyTests
{
    private static readonly ContainerCreateOptions Minimal = new() { Image = "localhost/img:1" };

    [Fact]
    public void Binds_become_src_dst_specs_with_ro_and_extra_options()
    {
        var body = ContainerCreateBody.From(Minimal with
        {
            Binds =
            [
                new BindMount("/home/me/project", "/work"),
                new BindMount("/etc/ssl", "/etc/ssl", ReadOnly: true),
                new BindMount("/srv/data", "/data", ReadOnly: true, Options: ["z", "rslave"]),
                new BindMount("/srv/cache", "/cache", Options: ["U"]),
            ],
        });

        body.HostConfig.Binds.ShouldBe(["/home/me/project:/work", "/etc/ssl:/etc/ssl:ro", "/srv/data:/data:ro,z,rslave", "/srv/cache:/cache:U"]);
    }

    [Fact]
    public void Ports_are_exposed_once_and_bound_per_mapping_on_loopback_by_default()
    {
        var body = ContainerCreateBody.From(Minimal with
        {
            Ports = [new PortMapping(8080), new PortMapping(8080, 9090, "0.0.0.0"), new PortMapping(53, 5353, Protocol: "udp")],
        });

        body.ExposedPorts.ShouldNotBeNull().Keys.ShouldBe(["8080/tcp", "53/udp"], ignoreOrder: true);
        var bindings = body.HostConfig.PortBindings.ShouldNotBeNull();
        bindings["8080/tcp"].Select(b => (b.HostIp, b.HostPort)).ShouldBe([("127.0.0.1", ""), ("0.0.0.0", "9090")]);
        bindings["53/udp"].Select(b => (b.HostIp, b.HostPort)).ShouldBe([("127.0.0.1", "5353")]);
    }

    [Fact]
    public void Exposed_ports_serialise_as_empty_objects()
    {
        var json = Serialise(ContainerCreateBody.From(Minimal with { Ports = [new PortMapping(8080)] }));

        json.GetProperty("ExposedPorts").GetProperty("8080/tcp").ValueKind.ShouldBe(JsonValueKind.Object);
        json.GetProperty("ExposedPorts").GetProperty("8080/tcp").EnumerateObject().ShouldBeEmpty();
        json.GetProperty("HostConfig").GetProperty("PortBindings").GetProperty("8080/tcp")[0].GetProperty("HostPort").GetString().ShouldBe("");
    }

    [Fact]
    public void Limits_map_to_memory_without_extra_swap_nano_cpus_pids_and_shm()
    {
        var body = ContainerCreateBody.From(Minimal with
        {
            Limits = new ResourceLimits(MemoryBytes: 512L * 1024 * 1024, Cpus: 1.5, PidsLimit: 256, ShmSizeBytes: 64L * 1024 * 1024),
        });

        body.HostConfig.Memory.ShouldBe(512L * 1024 * 1024);
        body.HostConfig.MemorySwap.ShouldBe(512L * 1024 * 1024, "swap equal to memory means no swap on top of the limit");
        body.HostConfig.NanoCpus.ShouldBe(1_500_000_000);
        body.HostConfig.PidsLimit.ShouldBe(256);
        body.HostConfig.ShmSize.ShouldBe(64L * 1024 * 1024);
    }

    [Fact]
    public void No_limits_leave_the_engine_defaults()
    {
        var json = Serialise(ContainerCreateBody.From(Minimal)).GetProperty("HostConfig");

        foreach (var name in new[] { "Memory", "MemorySwap", "NanoCpus", "PidsLimit", "ShmSize" })
        {
            json.TryGetProperty(name, out _).ShouldBeFalse(name);
        }
    }

    [Fact]
    public void Init_is_sent_only_when_asked_for()
    {
        ContainerCreateBody.From(Minimal with { Init = true }).HostConfig.Init.ShouldBe(true);
        ContainerCreateBody.From(Minimal).HostConfig.Init.ShouldBeNull("absent lets the engine's own default apply");
        Serialise(ContainerCreateBody.From(Minimal)).GetProperty("HostConfig").TryGetProperty("Init", out _).ShouldBeFalse();
    }

    [Fact]
    public void Empty_collections_are_left_out_of_the_request()
    {
        var json = Serialise(ContainerCreateBody.From(Minimal));

        foreach (var name in new[] { "Env", "Labels", "ExposedPorts", "Cmd", "Entrypoint" })
        {
            json.TryGetProperty(name, out _).ShouldBeFalse(name);
        }

        var host = json.GetProperty("HostConfig");
        foreach (var name in new[] { "Binds", "Tmpfs", "PortBindings", "ExtraHosts", "CapAdd", "CapDrop", "SecurityOpt", "Devices", "GroupAdd" })
        {
            host.TryGetProperty(name, out _).ShouldBeFalse(name);
        }
    }

    [Fact]
    public void Process_settings_map_one_to_one()
    {
        var body = ContainerCreateBody.From(Minimal with
        {
            Command = ["bash", "-l"],
            Entrypoint = ["/init"],
            Environment = new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y" },
            WorkingDirectory = "/work",
            User = "1000:1000",
            Hostname = "box",
            Labels = new Dictionary<string, string> { ["io.airlock.owner"] = "me" },
            Tty = true,
            OpenStdin = true,
            StdinOnce = true,
            StopSignal = "SIGINT",
            StopTimeoutSeconds = 3,
        });

        body.Image.ShouldBe("localhost/img:1");
        body.Cmd.ShouldBe(["bash", "-l"]);
        body.Entrypoint.ShouldBe(["/init"]);
        body.Env.ShouldBe(["A=1", "B=x=y"]);
        body.WorkingDir.ShouldBe("/work");
        body.User.ShouldBe("1000:1000");
        body.Hostname.ShouldBe("box");
        body.Labels.ShouldNotBeNull()["io.airlock.owner"].ShouldBe("me");
        body.Tty.ShouldBeTrue();
        body.OpenStdin.ShouldBeTrue();
        body.AttachStdin.ShouldBeTrue("an open stdin is attached");
        body.StdinOnce.ShouldBeTrue();
        body.StopSignal.ShouldBe("SIGINT");
        body.StopTimeout.ShouldBe(3);
    }

    [Fact]
    public void Security_and_isolation_settings_map_to_host_config()
    {
        var body = ContainerCreateBody.From(Minimal with
        {
            CapAdd = ["NET_ADMIN"],
            CapDrop = ["ALL"],
            SecurityOptions = ["no-new-privileges"],
            ReadOnlyRootfs = true,
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=64m" },
            ExtraHosts = ["host.airlock:host-gateway"],
            NetworkMode = "none",
            GroupAdd = ["video"],
            AutoRemove = true,
        });

        body.HostConfig.CapAdd.ShouldBe(["NET_ADMIN"]);
        body.HostConfig.CapDrop.ShouldBe(["ALL"]);
        body.HostConfig.SecurityOpt.ShouldBe(["no-new-privileges"]);
        body.HostConfig.ReadonlyRootfs.ShouldBeTrue();
        body.HostConfig.Tmpfs.ShouldNotBeNull()["/tmp"].ShouldBe("rw,size=64m");
        body.HostConfig.ExtraHosts.ShouldBe(["host.airlock:host-gateway"]);
        body.HostConfig.NetworkMode.ShouldBe("none");
        body.HostConfig.GroupAdd.ShouldBe(["video"]);
        body.HostConfig.AutoRemove.ShouldBeTrue();
    }

    [Theory]
    [InlineData("/dev/fuse", "/dev/fuse", "/dev/fuse", "rwm")]
    [InlineData("/dev/dri/card0:/dev/card", "/dev/dri/card0", "/dev/card", "rwm")]
    [InlineData("/dev/snd:/dev/snd:r", "/dev/snd", "/dev/snd", "r")]
    public void Devices_are_parsed_from_host_container_permission_specs(string spec, string host, string container, string permissions)
    {
        var device = ContainerCreateBody.From(Minimal with { Devices = [spec] }).HostConfig.Devices.ShouldNotBeNull().ShouldHaveSingleItem();

        (device.PathOnHost, device.PathInContainer, device.CgroupPermissions).ShouldBe((host, container, permissions));
    }

    [Fact]
    public void A_runtime_is_sent_as_HostConfig_Runtime_and_left_out_for_the_engines_default()
    {
        Serialise(ContainerCreateBody.From(Minimal with { Runtime = "airlock-runsc" })).GetProperty("HostConfig").GetProperty("Runtime").GetString().ShouldBe("airlock-runsc");
        Serialise(ContainerCreateBody.From(Minimal with { Runtime = "airlock-runsc" }, Airlock.Engine.Identity.EngineKind.Podman)).GetProperty("HostConfig").GetProperty("Runtime").GetString().ShouldBe("airlock-runsc");
        Serialise(ContainerCreateBody.From(Minimal)).GetProperty("HostConfig").TryGetProperty("Runtime", out _).ShouldBeFalse();
    }

    private static JsonElement Serialise(ContainerCreateBody body) =>
        JsonDocument.Parse(JsonSerializer.Serialize(body, EngineJsonContext.Default.ContainerCreateBody)).RootElement.Clone();
}
