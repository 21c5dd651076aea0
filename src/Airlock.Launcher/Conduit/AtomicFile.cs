namespace Airlock.Launcher.Conduit;

/// <summary>
/// Replaces a file in one step (a temp file beside it, then rename), so an agent reading it, or a crash, never sees half a
/// file. An existing file keeps its permissions; a new one gets <c>newFileMode</c>.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static void Write(string path, string content, UnixFileMode newFileMode = Readable)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.airlock-{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        UnixFileMode? mode = null;
        if (!OperatingSystem.IsWindows())
        {
            // Created with its final mode, so a secret is never readable by others, even for a moment.
            mode = File.Exists(path) ? File.GetUnixFileMode(path) : newFileMode;
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
            }

            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                // UnixCreateMode is filtered by the umask; set it exactly.
                File.SetUnixFileMode(temp, m);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
