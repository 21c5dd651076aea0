using System.Globalization;
using Airlock.Engine;
using Airlock.Sandboxes.Files;

namespace Airlock.Launcher.Locking;

/// <summary>
/// One sandbox per project at a time. The lock is an OS file lock (flock), so a crashed holder releases it by dying:
/// stale locks recover by themselves. A side file names the holder for the refusal message, and its session: a side
/// file found while the lock is free was left by a holder that died (kill -9, a crash), whose session may still run.
/// </summary>
public sealed class ProjectLock : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _lockFile;
    private readonly string _holderFile;

    private const string SessionPrefix = "session=";

    private ProjectLock(FileStream @lock, string lockFile, string holderFile, string? staleSession)
    {
        _lock = @lock;
        _lockFile = lockFile;
        _holderFile = holderFile;
        StaleSession = staleSession;
    }

    /// <summary>The session a previous holder that died without releasing the lock had started, if it named one.</summary>
    public string? StaleSession { get; }

    public static ProjectLock Acquire(string locksDir, string project, string holderDescription, string? session = null)
    {
        Directory.CreateDirectory(locksDir);
        var key = ContentHash.Short(project);
        var lockFile = Path.Combine(locksDir, key + ".lock");
        var holderFile = Path.Combine(locksDir, key + ".holder");
        if (LockFile.TryAcquire(lockFile) is not { } stream)
        {
            var holder = File.Exists(holderFile) ? File.ReadLines(holderFile).FirstOrDefault()?.Trim() ?? "another airlock process" : "another airlock process";
            throw new LauncherException(
                $"{project} is already in use by {holder}. Wait for it to end, join it (airlock list sessions; airlock NS --join SESSION), " +
                "or run side by side with --allow-concurrent");
        }

        var stale = File.Exists(holderFile)
            ? File.ReadLines(holderFile).FirstOrDefault(l => l.StartsWith(SessionPrefix, StringComparison.Ordinal))?[SessionPrefix.Length..]
            : null;
        var note = string.Create(CultureInfo.InvariantCulture, $"{holderDescription} (pid {Environment.ProcessId}, since {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss})");
        File.WriteAllText(holderFile, session is null ? note : $"{note}\n{SessionPrefix}{session}\n");
        return new ProjectLock(stream, lockFile, holderFile, stale);
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

        LockFile.Release(_lock, _lockFile);
    }
}
