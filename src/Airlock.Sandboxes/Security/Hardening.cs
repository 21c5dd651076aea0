namespace Airlock.Sandboxes.Security;

/// <summary>The fixed parts of every sandbox's wall; see docs/security.md for the reasoning behind each.</summary>
public static class Hardening
{
    /// <summary>All of them: a sandbox process runs as the user's own uid and needs none.</summary>
    public static readonly IReadOnlyList<string> CapDrop = ["ALL"];

    /// <summary>setuid binaries (sudo, su) cannot raise privileges, whatever the image ships.</summary>
    public const string NoNewPrivileges = "no-new-privileges";

    /// <summary>Capabilities a user may ask back. Anything that reaches the kernel or the host at large is refused.</summary>
    public static readonly IReadOnlySet<string> GrantableCapabilities = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE",
        "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP", "SYS_PTRACE",
    };

    /// <summary>Paths whose mounting would hand the sandbox an engine (and so the host): refused as mount sources.</summary>
    public static readonly IReadOnlyList<string> EngineSockets =
    [
        "/var/run/docker.sock", "/run/docker.sock", "/run/podman/podman.sock", "/run/containerd/containerd.sock",
        "/var/run/containerd/containerd.sock", "/run/crio/crio.sock",
    ];

    /// <summary>True when mounting <paramref name="hostPath"/> would expose an engine socket (the socket itself or a directory above one).</summary>
    public static bool ExposesEngineSocket(string hostPath, IEnumerable<string>? extraSockets = null)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath));
        if (full == "/")
        {
            return true;
        }

        foreach (var socket in EngineSockets.Concat(extraSockets ?? []))
        {
            if (socket == full || socket.StartsWith(full + "/", StringComparison.Ordinal))
            {
                return true;
            }
        }

        // Rootless engines keep their sockets in the user's runtime dir (/run/user/UID/podman/podman.sock,
        // /run/user/UID/docker.sock), a different path per uid, so the dirs above them are matched by shape.
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["var", "run", ..])
        {
            parts = parts[1..];
        }

        if (parts is ["run", "user"] or ["run", "user", _] or ["run", "user", _, "podman" or "docker"])
        {
            return true;
        }

        var name = Path.GetFileName(full);
        return name is "docker.sock" or "podman.sock" or "containerd.sock";
    }
}
