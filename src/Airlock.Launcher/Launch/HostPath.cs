namespace Airlock.Launcher.Launch;

/// <summary>
/// A host path with every symbolic link in it resolved, as the engine will see it when it mounts the path. Checks on
/// a mount source are made on this form and the engine is given it: <c>./link-to-/run/podman</c> is
/// <c>/run/podman</c>, and <c>/proc/self/root</c> is <c>/</c>.
/// </summary>
public static class HostPath
{
    /// <summary>As many as the kernel follows before it gives up (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// Resolves <paramref name="path"/> (absolute) component by component; a missing component ends the resolution there
    /// and the rest is appended as written.
    /// </summary>
    public static string Resolve(string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"'{path}' is not absolute", nameof(path));
        }

        var pending = new Stack<string>(Components(path).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.TryPop(out var part))
        {
            switch (part)
            {
                case ".":
                    continue;
                case "..":
                    if (resolved.Count > 0)
                    {
                        resolved.RemoveAt(resolved.Count - 1);
                    }

                    continue;
            }

            var candidate = "/" + string.Join('/', [.. resolved, part]);
            string? target;
            try
            {
                target = new FileInfo(candidate).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                target = null;
            }

            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new LauncherException($"{path}: more than {MaxLinks} symbolic links (a loop?)");
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var next in Components(target).Reverse())
            {
                pending.Push(next);
            }
        }

        return "/" + string.Join('/', resolved);
    }

    private static IEnumerable<string> Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
