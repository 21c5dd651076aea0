using Airlock.Engine.Native;

namespace Airlock.Sandboxes.Files;

/// <summary>
/// An OS file lock (flock, which a holder that dies releases) whose file is removed when it is released, so locks leave
/// nothing behind. Removing a lock file is safe only with the check here: a process that opened the file just before
/// the holder removed it would lock a file nobody else can see any more, so a lock counts only while the path still
/// names the very file locked.
/// </summary>
public static class LockFile
{
    /// <summary>The locked file, or null when another process holds it.</summary>
    public static FileStream? TryAcquire(string path)
    {
        while (true)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return null;
            }

            if (StillNamed(stream, path))
            {
                return stream;
            }

            // The previous holder removed the file between our open and our lock: try the path again.
            stream.Dispose();
        }
    }

    /// <summary>Removes the file while still holding it, then releases the lock.</summary>
    public static void Release(FileStream stream, string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left in place it is harmless: the next holder locks it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }

        stream.Dispose();
    }

    private static bool StillNamed(FileStream stream, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        return Posix.StatAt((int)stream.SafeFileHandle.DangerousGetHandle(), "", out var held) == 0
            && Posix.StatAt(Posix.AtFdCwd, path, out var named) == 0
            && held.SameFileAs(named);
    }
}
