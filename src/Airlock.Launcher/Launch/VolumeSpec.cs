using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>
/// Parses a volume, <c>SRC[:DST][:ro|:rw]</c>. <c>~</c> in SRC is the host user's home; DST defaults to SRC, and
/// <c>~</c> in DST is the sandbox's home (/home/airlock), so <c>~/repos/abc</c> lands at the same place relative to home.
/// </summary>
public static class VolumeSpec
{
    public static SandboxMount Parse(string text, string hostHome, string where)
    {
        var parts = text.Split(':');
        var readOnly = false;
        if (parts.Length > 1 && parts[^1] is "ro" or "rw")
        {
            readOnly = parts[^1] == "ro";
            parts = parts[..^1];
        }

        if (parts.Length is 0 or > 2 || parts[0].Length == 0)
        {
            throw new LauncherException($"{where} '{text}': use SRC, SRC:DST, or either with :ro (e.g. ~/data:/data:ro)");
        }

        var source = ExpandHost(parts[0], hostHome);
        var target = parts.Length == 2 ? parts[1] : parts[0];
        target = target == "~" ? HomeSeeder.ContainerHome
            : target.StartsWith("~/", StringComparison.Ordinal) ? HomeSeeder.ContainerHome + target[1..]
            : target;
        if (!Path.IsPathFullyQualified(source))
        {
            throw new LauncherException($"{where} '{text}': the source '{parts[0]}' must be absolute or start with ~/");
        }

        if (!target.StartsWith('/'))
        {
            throw new LauncherException($"{where} '{text}': the destination '{target}' must be absolute or start with ~/");
        }

        if (Hardening.IsKernelFilesystem(source))
        {
            // Before the existence check: /proc/1/root/... may not be readable, and its answer is no either way.
            throw new LauncherException($"{where} '{text}': {source} is part of /proc, /sys or /dev, which hand the sandbox the host's processes, devices or kernel settings; mount a directory of files instead");
        }

        if (!File.Exists(source) && !Directory.Exists(source))
        {
            throw new LauncherException($"{where} '{text}': {source} does not exist on the host; create it or fix the path");
        }

        return new SandboxMount(source, target, readOnly);
    }

    private static string ExpandHost(string path, string home) =>
        path == "~" ? home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;
}
