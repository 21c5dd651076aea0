using Airlock.Engine.Identity;
using Airlock.Launcher.Identity;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Display;

/// <summary>
/// Display forwarding on Linux hosts. <c>x11</c>: the X socket dir, DISPLAY, the Xauthority cookie (read-only) and
/// /dev/dri. <c>wayland</c>: the compositor's socket. Both: a private writable /run/user/UID and the D-Bus buses when the
/// host has them. <c>auto</c> picks wayland, then x11, then none. Nothing of the display is exposed with <c>none</c>.
/// </summary>
public static class DisplayPlanner
{
    public static DisplayPlan Plan(
        string mode, HostUser user, Func<string, string?> env, List<string> warnings, Func<string, bool>? exists = null, EngineKind engine = EngineKind.Docker)
    {
        exists ??= p => File.Exists(p) || Directory.Exists(p);
        var chosen = mode switch
        {
            "auto" => env("WAYLAND_DISPLAY") is { Length: > 0 } ? "wayland" : env("DISPLAY") is { Length: > 0 } ? "x11" : "none",
            "x11" or "wayland" or "none" => mode,
            _ => throw new LauncherException($"--display '{mode}': use x11, wayland, auto or none"),
        };
        if (OperatingSystem.IsMacOS() && chosen != "none")
        {
            warnings.Add("display forwarding on macOS goes through XQuartz over TCP; see docs/display.md");
            return DisplayPlan.None with { Mode = "x11", Environment = new Dictionary<string, string> { ["DISPLAY"] = "host.docker.internal:0" } };
        }

        if (chosen == "none")
        {
            return DisplayPlan.None;
        }

        var runtimeDir = $"/run/user/{user.Uid}";
        var envs = new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = runtimeDir };
        var mounts = new List<SandboxMount>();
        var devices = new List<string>();
        // podman 4.3 refuses tmpfs uid=/gid= ("unknown mount option"); its own U option chowns the tmpfs to the
        // container's user, who is the invoking user on both rootful (--user) and rootless (keep-id) podman.
        var owner = engine == EngineKind.Podman ? "U" : $"uid={user.Uid},gid={user.Gid}";
        var tmpfs = new Dictionary<string, string> { [runtimeDir] = $"rw,nosuid,nodev,size=64m,mode=0700,{owner}" };

        if (chosen == "wayland")
        {
            var wayland = env("WAYLAND_DISPLAY");
            var hostRuntime = env("XDG_RUNTIME_DIR");
            if (string.IsNullOrEmpty(wayland) || string.IsNullOrEmpty(hostRuntime))
            {
                warnings.Add("--display wayland: WAYLAND_DISPLAY or XDG_RUNTIME_DIR is not set on the host, so no display is forwarded");
                return DisplayPlan.None;
            }

            var socket = Path.IsPathRooted(wayland) ? wayland : Path.Combine(hostRuntime, wayland);
            mounts.Add(new SandboxMount(socket, $"{runtimeDir}/{Path.GetFileName(socket)}"));
            envs["WAYLAND_DISPLAY"] = Path.GetFileName(socket);
        }
        else
        {
            var display = env("DISPLAY");
            if (string.IsNullOrEmpty(display))
            {
                warnings.Add("--display x11: DISPLAY is not set on the host, so no display is forwarded");
                return DisplayPlan.None;
            }

            envs["DISPLAY"] = display;
            if (exists("/tmp/.X11-unix"))
            {
                mounts.Add(new SandboxMount("/tmp/.X11-unix", "/tmp/.X11-unix"));
            }

            var xauth = env("XAUTHORITY") is { Length: > 0 } xa ? xa : Path.Combine(user.Home, ".Xauthority");
            if (exists(xauth))
            {
                mounts.Add(new SandboxMount(xauth, "/etc/airlock/Xauthority", ReadOnly: true));
                envs["XAUTHORITY"] = "/etc/airlock/Xauthority";
            }
        }

        if (exists("/dev/dri"))
        {
            devices.Add("/dev/dri");
        }

        if (env("DBUS_SESSION_BUS_ADDRESS") is { } bus && bus.StartsWith("unix:path=", StringComparison.Ordinal))
        {
            var path = bus["unix:path=".Length..].Split(',')[0];
            if (exists(path))
            {
                mounts.Add(new SandboxMount(path, $"{runtimeDir}/bus"));
                envs["DBUS_SESSION_BUS_ADDRESS"] = $"unix:path={runtimeDir}/bus";
            }
        }

        if (exists("/run/dbus/system_bus_socket"))
        {
            mounts.Add(new SandboxMount("/run/dbus/system_bus_socket", "/run/dbus/system_bus_socket"));
        }

        return new DisplayPlan(chosen, envs, mounts, devices, tmpfs);
    }
}
