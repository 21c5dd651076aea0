using Airlock.Engine.Identity;

namespace Airlock.Engine.Containers;

/// <summary>The wire form of POST /containers/create.</summary>
internal sealed class ContainerCreateBody
{
    public required string Image { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public bool StdinOnce { get; init; }
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; } = true;
    public bool AttachStderr { get; init; } = true;
    public Dictionary<string, EmptyObject>? ExposedPorts { get; init; }
    public string? StopSignal { get; init; }
    public int? StopTimeout { get; init; }
    public required HostConfigBody HostConfig { get; init; }

    /// <summary>
    /// Docker's default masked paths (20.10 through 27). Docker replaces its defaults with <c>HostConfig.MaskedPaths</c>
    /// when that is given, so masking more means sending these too; runc skips the ones a kernel lacks.
    /// </summary>
    private static readonly string[] DockerDefaultMaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    /// <summary>
    /// The body for <paramref name="kind"/>: podman and Docker take a seccomp profile and extra masked paths differently.
    /// </summary>
    /// <param name="seccompProfileFile">Podman's copy of <see cref="ContainerCreateOptions.SeccompProfile"/> (podman reads only files).</param>
    public static ContainerCreateBody From(ContainerCreateOptions o, EngineKind kind = EngineKind.Docker, string? seccompProfileFile = null)
    {
        var podman = kind == EngineKind.Podman;
        var securityOptions = o.SecurityOptions.ToList();
        if (o.SeccompProfile is not null)
        {
            securityOptions.Add(podman
                ? "seccomp=" + (seccompProfileFile ?? throw new ArgumentException("podman reads a seccomp profile only from a file", nameof(seccompProfileFile)))
                : "seccomp=" + o.SeccompProfile);
        }

        if (podman && o.MaskedPaths.Count > 0)
        {
            // podman's compat API ignores HostConfig.MaskedPaths but adds to its defaults through this option.
            securityOptions.Add("mask=" + string.Join(':', o.MaskedPaths));
        }

        // podman fills a tmpfs with what the image (or a mount below it) has at that path unless told not to; Docker
        // never does, and rejects the option. A tmpfs that hides a host directory must not get a copy of it.
        var tmpfs = podman
            ? o.Tmpfs.ToDictionary(t => t.Key, t => t.Value.Split(',').Contains("tmpcopyup") ? t.Value : string.Join(',', t.Value, "notmpcopyup").TrimStart(','))
            : o.Tmpfs;
        return From(o, securityOptions, o.Binds.Select(b => b.ToBindSpec(noSuidNoDev: o.HardenBinds && podman)).ToList(),
            !podman && o.MaskedPaths.Count > 0 ? [.. DockerDefaultMaskedPaths, .. o.MaskedPaths] : null, tmpfs);
    }

    private static ContainerCreateBody From(
        ContainerCreateOptions o, List<string> securityOptions, List<string> binds, IReadOnlyList<string>? maskedPaths, IReadOnlyDictionary<string, string> tmpfs) => new()
    {
        Image = o.Image,
        Cmd = o.Command,
        Entrypoint = o.Entrypoint,
        Env = o.Environment.Count == 0 ? null : o.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
        WorkingDir = o.WorkingDirectory,
        User = o.User,
        Hostname = o.Hostname,
        Labels = o.Labels.Count == 0 ? null : o.Labels,
        Tty = o.Tty,
        OpenStdin = o.OpenStdin,
        StdinOnce = o.StdinOnce,
        AttachStdin = o.OpenStdin,
        ExposedPorts = o.Ports.Count == 0 ? null : o.Ports.DistinctBy(p => p.Key).ToDictionary(p => p.Key, _ => new EmptyObject()),
        StopSignal = o.StopSignal,
        StopTimeout = o.StopTimeoutSeconds,
        HostConfig = new HostConfigBody
        {
            Binds = binds.Count == 0 ? null : binds,
            Tmpfs = tmpfs.Count == 0 ? null : tmpfs,
            PortBindings = o.Ports.Count == 0
                ? null
                : o.Ports.GroupBy(p => p.Key).ToDictionary(
                    g => g.Key,
                    g => g.Select(p => new PortBindingBody { HostIp = p.HostIp, HostPort = p.HostPort == 0 ? "" : p.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList()),
            NetworkMode = o.NetworkMode,
            ExtraHosts = o.ExtraHosts.Count == 0 ? null : o.ExtraHosts,
            Memory = o.Limits.MemoryBytes,
            // Equal to Memory: no swap on top of the limit, so the limit means what it says.
            MemorySwap = o.Limits.MemoryBytes,
            NanoCpus = o.Limits.NanoCpus,
            PidsLimit = o.Limits.PidsLimit,
            ShmSize = o.Limits.ShmSizeBytes,
            CapAdd = o.CapAdd.Count == 0 ? null : o.CapAdd,
            CapDrop = o.CapDrop.Count == 0 ? null : o.CapDrop,
            SecurityOpt = securityOptions.Count == 0 ? null : securityOptions,
            MaskedPaths = maskedPaths,
            Devices = o.Devices.Count == 0 ? null : o.Devices.Select(DeviceMappingBody.Parse).ToList(),
            GroupAdd = o.GroupAdd.Count == 0 ? null : o.GroupAdd,
            ReadonlyRootfs = o.ReadOnlyRootfs,
            Init = o.Init ? true : null,
            AutoRemove = o.AutoRemove,
            UsernsMode = o.UsernsMode,
            IpcMode = o.IpcMode,
            Runtime = o.Runtime,
        },
    };
}

internal sealed class HostConfigBody
{
    public IReadOnlyList<string>? Binds { get; init; }
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }
    public Dictionary<string, List<PortBindingBody>>? PortBindings { get; init; }
    public string? NetworkMode { get; init; }
    public IReadOnlyList<string>? ExtraHosts { get; init; }
    public long? Memory { get; init; }
    public long? MemorySwap { get; init; }
    public long? NanoCpus { get; init; }
    public long? PidsLimit { get; init; }
    public long? ShmSize { get; init; }
    public IReadOnlyList<string>? CapAdd { get; init; }
    public IReadOnlyList<string>? CapDrop { get; init; }
    public IReadOnlyList<string>? SecurityOpt { get; init; }
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    public List<DeviceMappingBody>? Devices { get; init; }
    public IReadOnlyList<string>? GroupAdd { get; init; }
    public bool ReadonlyRootfs { get; init; }
    public bool? Init { get; init; }
    public bool AutoRemove { get; init; }
    public string? UsernsMode { get; init; }
    public string? IpcMode { get; init; }
    public string? Runtime { get; init; }
}

internal sealed class DeviceMappingBody
{
    public required string PathOnHost { get; init; }
    public required string PathInContainer { get; init; }
    public string CgroupPermissions { get; init; } = "rwm";

    /// <summary><c>/dev/dri</c> or <c>/dev/x:/dev/y[:rwm]</c>.</summary>
    public static DeviceMappingBody Parse(string spec)
    {
        var parts = spec.Split(':');
        return new DeviceMappingBody
        {
            PathOnHost = parts[0],
            PathInContainer = parts.Length > 1 ? parts[1] : parts[0],
            CgroupPermissions = parts.Length > 2 ? parts[2] : "rwm",
        };
    }
}

/// <summary>Serialises as <c>{}</c>, as ExposedPorts and similar set-like maps require.</summary>
internal sealed class EmptyObject;
