namespace Airlock.Server.Store;

/// <summary>
/// The server's state on disk is its owner's alone: directories it makes are 0700, files 0600, created with the mode
/// (never chmod-ed after, so there is no moment another user could open them), and files an older airlock left wider
/// are narrowed when the server starts. A database file's WAL and shared-memory files take the database file's mode
/// (SQLite copies it), so a 0600 database keeps its WAL private too.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Makes the directory (0700) with any missing parents; an existing one is left as it is.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>Makes the directory 0700, narrowing it when it exists wider: only for a directory that is Airlock's own.</summary>
    public static void EnsureOwnDirectory(string path)
    {
        CreateDirectory(path);
        Narrow(path, OwnerOnlyDirectory);
    }

    /// <summary>
    /// Removes group and other bits from <paramref name="path"/> when it exists. A file that is a symbolic link is
    /// refused, never followed (narrowing through a planted link would change whatever it points at); a directory
    /// may be a link its owner made (state on another volume).
    /// </summary>
    public static void Narrow(string path, UnixFileMode mode = OwnerOnlyFile)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = new FileInfo(path);
        if (file.Exists)
        {
            if (file.LinkTarget is not null)
            {
                throw new IOException($"{path} is a symbolic link; the server keeps its state in real files only");
            }
        }
        else if (!Directory.Exists(path))
        {
            return;
        }

        var current = File.GetUnixFileMode(path);
        if ((current & ~mode) != 0)
        {
            File.SetUnixFileMode(path, current & mode);
        }
    }

    /// <summary>Creates <paramref name="path"/> empty with mode 0600 when it does not exist (its directory 0700 if missing).</summary>
    public static void CreateFile(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } dir)
        {
            CreateDirectory(dir);
        }

        try
        {
            using var _ = new FileStream(path, NewFileOptions(FileMode.CreateNew));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another server on the same directory made it first.
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> as the whole content of <paramref name="path"/>, mode 0600: to a new file beside it,
    /// then renamed over it, so a reader sees the old content or the new, never half of it.
    /// </summary>
    public static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } dir)
        {
            CreateDirectory(dir);
        }

        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, NewFileOptions(FileMode.CreateNew)))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(text.AsMemory(), ct);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static FileStreamOptions NewFileOptions(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }
}
