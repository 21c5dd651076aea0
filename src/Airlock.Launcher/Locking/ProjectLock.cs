using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Airlock.Launcher.Locking;

/// <summary>
/// One sandbox per project at a time. The lock is an OS file lock (flock), so a crashed holder releases it by dying:
/// stale locks recover by themselves. A side file names the holder for the refusal message.
/// </summary>
public sealed class ProjectLock : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _holderFile;

    private ProjectLock(FileStream @lock, string holderFile)
    {
        _lock = @lock;
        _holderFile = holderFile;
    }

    public static ProjectLock Acquire(string locksDir, string project, string holderDescription)
    {
        Directory.CreateDirectory(locksDir);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(project)))[..16];
        var lockFile = Path.Combine(locksDir, key + ".lock");
        var holderFile = Path.Combine(locksDir, key + ".holder");
        FileStream stream;
        try
        {
            stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = File.Exists(holderFile) ? File.ReadAllText(holderFile).Trim() : "another airlock process";
            throw new LauncherException(
                $"{project} is already in use by {holder}. Wait for it to end, join it (airlock list sessions; airlock NS --join SESSION), " +
                "or run side by side with --allow-concurrent");
        }

        File.WriteAllText(holderFile, string.Create(CultureInfo.InvariantCulture, $"{holderDescription} (pid {Environment.ProcessId}, since {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss})"));
        return new ProjectLock(stream, holderFile);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_holderFile);
        }
        catch (IOException)
        {
            // The next holder overwrites it anyway.
        }

        _lock.Dispose();
    }
}
