using System.Runtime.InteropServices;
using Airlock.Engine.Errors;
using Airlock.Engine.Native;

namespace Airlock.Engine.Discovery;

/// <summary>
/// The directory where Airlock starts its own podman service (socket and log). Without XDG_RUNTIME_DIR it sits in /tmp,
/// where any local user could make it first and wait for Airlock's requests, or plant a link where the log is appended.
/// So it is used only when it is a real directory (not a link) that belongs to this user and that nobody else can enter:
/// made 0700 if missing, checked every time, refused with how to fix it otherwise.
/// </summary>
public static class PrivateRuntimeDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Where it is for this user: <c>$XDG_RUNTIME_DIR/airlock</c>, <c>/run/airlock</c> for root, else <c>$TMPDIR/airlock-UID</c>.</summary>
    public static string For(DiscoveryEnvironment env) =>
        env.GetVariable("XDG_RUNTIME_DIR") is { Length: > 0 } xdg ? Path.Combine(xdg, "airlock")
        : env.UserId == 0 ? "/run/airlock"
        : Path.Combine(env.GetVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp", $"airlock-{env.UserId}");

    /// <summary>Makes <paramref name="dir"/> (0700) when missing, then checks it; throws <see cref="EngineUnreachableException"/> when it cannot be trusted.</summary>
    public static void Ensure(string dir)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("podman's service is started on Linux only");
        }

        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(dir));
        if (parent is not null && !Directory.Exists(parent))
        {
            Directory.CreateDirectory(parent, OwnerOnly);
        }

        // mkdir(2) fails on anything already there, link or not; what is there is then checked like the rest.
        Posix.MkdirAt(Posix.AtFdCwd, dir, (uint)OwnerOnly);
        if (Problem(dir, (int)Posix.GetEffectiveUserId()) is { } problem)
        {
            throw new EngineUnreachableException(
                $"cannot start podman's service in {dir}: {problem}",
                $"remove {dir} (as root if another user owns it: sudo rm -rf {dir}), or set XDG_RUNTIME_DIR to your own runtime dir (loginctl enable-linger $USER gives you /run/user/$UID), or point AIRLOCK_ENGINE at a running engine");
        }
    }

    /// <summary>Null when <paramref name="dir"/> is a directory itself (not a link), owned by <paramref name="uid"/>, with no access for others.</summary>
    public static string? Problem(string dir, int uid)
    {
        if (Posix.StatAt(Posix.AtFdCwd, dir, out var stat) != 0)
        {
            return Posix.Describe(Marshal.GetLastPInvokeError());
        }

        if (stat.Type == Posix.TypeSymlink)
        {
            return "it is a symbolic link, which someone else may have planted";
        }

        if (stat.Type != Posix.TypeDirectory)
        {
            return "it is not a directory";
        }

        if (stat.Uid != (uint)uid)
        {
            return $"it belongs to uid {stat.Uid}, not to you (uid {uid}): another user may be waiting for Airlock's engine requests there";
        }

        if ((stat.Mode & 0x3F) != 0)
        {
            return $"others have access to it (mode {Convert.ToString(stat.Mode & 0xFFF, 8)}, must be 700)";
        }

        return null;
    }
}
