namespace Airlock.Sandboxes.Specs;

/// <summary>
/// One sandbox, the same for the launcher on a laptop and the server for a tenant: what to run and every opening in its
/// wall. Anything not listed here is closed: no host path but <see cref="Mounts"/>, no port but <see cref="Ports"/>,
/// no variable but <see cref="Environment"/>, no capability but <see cref="Security"/>'s.
/// </summary>
public sealed record SandboxSpec
{
    public required string Image { get; init; }

    /// <summary>argv; null means the image's own CMD.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary><c>uid:gid</c> the process runs as; null means the image's user.</summary>
    public string? User { get; init; }

    /// <summary>The engine's user namespace mode, e.g. <c>keep-id</c> on rootless podman; null for the engine's default.</summary>
    public string? UsernsMode { get; init; }

    /// <summary>The <see cref="UsernsMode"/> of rootless podman that keeps the host user's uid inside.</summary>
    public const string KeepIdUsernsMode = "keep-id";

    public string? WorkingDirectory { get; init; }

    public string? Hostname { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<SandboxMount> Mounts { get; init; } = [];

    public IReadOnlyList<PortForward> Ports { get; init; } = [];

    public SandboxLimits Limits { get; init; } = SandboxLimits.Default;

    public NetworkPolicy Network { get; init; } = NetworkPolicy.Default;

    public SecurityPolicy Security { get; init; } = SecurityPolicy.Default;

    /// <summary>How far the sandbox is kept from the host's kernel: an ordinary container unless gVisor is asked for.</summary>
    public IsolationLevel Isolation { get; init; } = IsolationLevel.Container;

    /// <summary>Device nodes passed through (e.g. <c>/dev/dri</c> for a display).</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Writable in-memory mounts: path to options.</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra labels; Airlock's own <c>io.airlock.*</c> labels are added by the runtime.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool Tty { get; init; }

    public bool Interactive { get; init; }
}
