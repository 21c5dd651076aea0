namespace Airlock.Engine.Containers;

/// <summary>
/// Everything Airlock sets when it creates a container. Only <see cref="Image"/> is required; everything else is off,
/// empty or the engine's default unless given, so every opening in the sandbox is asked for explicitly.
/// </summary>
public sealed record ContainerCreateOptions
{
    public required string Image { get; init; }

    /// <summary>The container's name; the engine makes one up when null.</summary>
    public string? Name { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary><c>uid</c>, <c>uid:gid</c>, or a user name known inside the image.</summary>
    public string? User { get; init; }

    public string? Hostname { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<BindMount> Binds { get; init; } = [];

    /// <summary>tmpfs mounts: container path to mount options (e.g. <c>rw,size=64m,mode=1777</c>).</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    /// <summary><c>bridge</c>, <c>none</c>, <c>host</c>, <c>slirp4netns:...</c>, <c>pasta</c>, or a network name.</summary>
    public string? NetworkMode { get; init; }

    /// <summary><c>name:address</c> entries for /etc/hosts; <c>host-gateway</c> as address means the host.</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public ResourceLimits Limits { get; init; } = ResourceLimits.None;

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary>e.g. <c>no-new-privileges</c>, <c>label=disable</c>; a seccomp profile goes in <see cref="SeccompProfile"/>.</summary>
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];

    /// <summary>
    /// A seccomp profile (its JSON); null keeps the engine's default. Docker takes the JSON itself; podman only reads a
    /// file, which the client writes to <see cref="SeccompProfileDirectory"/> or, without one, to a private temporary
    /// directory it removes after the create (podman copies the profile into the container's config when creating it).
    /// </summary>
    public string? SeccompProfile { get; init; }

    /// <summary>
    /// Where podman's copy of <see cref="SeccompProfile"/> is kept (one file per content): a directory no sandbox can
    /// write, readable by the engine (a rootless podman service runs as the same user). Ignored by Docker.
    /// </summary>
    public string? SeccompProfileDirectory { get; init; }

    /// <summary>Paths hidden from the container (bound over with /dev/null or an empty dir), on top of the engine's own.</summary>
    public IReadOnlyList<string> MaskedPaths { get; init; } = [];

    /// <summary>
    /// Mount every bind <c>nosuid,nodev</c> where the engine's API can (podman). Docker's bind options have neither: there,
    /// files with setuid bits or device nodes must be kept out by other means (a seccomp profile, no CAP_MKNOD).
    /// </summary>
    public bool HardenBinds { get; init; }

    public IReadOnlyList<string> Devices { get; init; } = [];

    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    public bool ReadOnlyRootfs { get; init; }

    /// <summary>Run an init process as PID 1 so signals are forwarded and zombies reaped.</summary>
    public bool Init { get; init; }

    public bool Tty { get; init; }

    /// <summary>Keep stdin open so it can be attached.</summary>
    public bool OpenStdin { get; init; }

    /// <summary>Close stdin after the first attach detaches, so the process sees EOF.</summary>
    public bool StdinOnce { get; init; }

    public bool AutoRemove { get; init; }

    /// <summary>User namespace mode, e.g. podman's <c>keep-id</c> (rootless only) so the host user's uid is the same inside.</summary>
    public string? UsernsMode { get; init; }

    /// <summary>IPC namespace mode; <c>host</c> only for display forwarding that needs MIT-SHM.</summary>
    public string? IpcMode { get; init; }

    public string? StopSignal { get; init; }

    /// <summary>
    /// The OCI runtime, by the name the engine has it registered under (<c>HostConfig.Runtime</c>); null is the engine's
    /// default. podman 4.3's API ignores the field (compat and libpod alike), so on podman the create goes through a podman
    /// service started with that runtime as its default (<see cref="PodmanRuntimeService"/>), and is checked afterwards.
    /// </summary>
    public string? Runtime { get; init; }

    public int? StopTimeoutSeconds { get; init; }
}
