using Airlock.Sandboxes.Files;

namespace Airlock.Sandboxes.Security;

/// <summary>The fixed parts of every sandbox's wall; see docs/security.md for the reasoning behind each.</summary>
public static class Hardening
{
    /// <summary>All of them: a sandbox process runs as the user's own uid and needs none.</summary>
    public static readonly IReadOnlyList<string> CapDrop = ["ALL"];

    /// <summary>setuid binaries (sudo, su) cannot raise privileges, whatever the image ships.</summary>
    public const string NoNewPrivileges = "no-new-privileges";

    /// <summary>
    /// Capabilities a spec may ask back: only those that reach nothing beyond the sandbox's own namespaces. Binding a
    /// port below 1024 in its own network namespace, and signalling its own processes of another uid (its init ignores
    /// what it has no handler for, whoever sends it). Everything else a container engine grants by default is refused,
    /// each for a way out: see docs/security.md ("Capabilities").
    /// </summary>
    public static readonly IReadOnlySet<string> GrantableCapabilities = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "NET_BIND_SERVICE", "KILL",
    };

    /// <summary>
    /// The init's memory as files: the seccomp profile keeps ptrace and process_vm_* off PID 1, and these are masked
    /// because writing them needs no more than the same uid. A stopped or rewritten init never reaps the command, so
    /// the session would hang after it ends.
    /// </summary>
    public static readonly IReadOnlyList<string> InitMemory = ["/proc/1/mem", "/proc/1/task/1/mem"];

    /// <summary>Paths whose mounting would hand the sandbox an engine (and so the host): refused as mount sources.</summary>
    public static readonly IReadOnlyList<string> EngineSockets =
    [
        "/var/run/docker.sock", "/run/docker.sock", "/run/podman/podman.sock", "/run/containerd/containerd.sock",
        "/var/run/containerd/containerd.sock", "/run/crio/crio.sock",
    ];

    /// <summary>
    /// The kernel's and the devices' filesystems: any part of them hands the sandbox the host (<c>/proc/1/root</c> is the
    /// host's <c>/</c>, <c>/proc/*/fd</c> its open files, <c>/sys</c> and <c>/dev</c> its kernel knobs and devices).
    /// </summary>
    public static readonly IReadOnlyList<string> KernelFilesystems = ["/proc", "/sys", "/dev"];

    /// <summary>True when <paramref name="hostPath"/> is in one of <see cref="KernelFilesystems"/>.</summary>
    public static bool IsKernelFilesystem(string hostPath)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath));
        return KernelFilesystems.Any(k => AbsolutePath.IsAtOrBelow(full, k));
    }

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
            if (AbsolutePath.IsAtOrBelow(socket, full))
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
