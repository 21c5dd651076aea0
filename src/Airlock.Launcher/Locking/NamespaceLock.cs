using System.Globalization;
using Airlock.Sandboxes.Files;

namespace Airlock.Launcher.Locking;

/// <summary>
/// One airlock process at a time creates, rebuilds, resets or deletes a given namespace: two creates started together
/// would otherwise both build and both seed the same home. An OS file lock (flock) as <see cref="ProjectLock"/> is, so a
/// holder that dies releases it; a second process waits for it (saying so once, through <c>onWait</c>) rather than fail,
/// then sees what the first one did. A side file names the holder for that message.
/// </summary>
public sealed class NamespaceLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _lock;
    private readonly string _lockFile;
    private readonly string _holderFile;

    private NamespaceLock(FileStream @lock, string lockFile, string holderFile, string? waitedFor)
    {
        _lock = @lock;
        _lockFile = lockFile;
        _holderFile = holderFile;
        WaitedFor = waitedFor;
    }

    /// <summary>Who held the lock when this process had to wait for it (e.g. <c>airlock (pid 4242)</c>); null when it was free.</summary>
    public string? WaitedFor { get; }

    /// <param name="name">A valid namespace name (it becomes part of a file name).</param>
    public static async Task<NamespaceLock> AcquireAsync(string locksDir, string name, Action<string>? onWait, TimeProvider time, CancellationToken ct)
    {
        Directory.CreateDirectory(locksDir);
        var lockFile = Path.Combine(locksDir, $"namespace-{name}.lock");
        var holderFile = Path.Combine(locksDir, $"namespace-{name}.holder");
        string? waitedFor = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (LockFile.TryAcquire(lockFile) is not { } stream)
            {
                if (waitedFor is null)
                {
                    waitedFor = ReadHolder(holderFile);
                    onWait?.Invoke(waitedFor);
                }

                await Task.Delay(PollInterval, time, ct);
                continue;
            }

            File.WriteAllText(holderFile, string.Create(CultureInfo.InvariantCulture, $"airlock (pid {Environment.ProcessId})"));
            return new NamespaceLock(stream, lockFile, holderFile, waitedFor);
        }
    }

    private static string ReadHolder(string holderFile)
    {
        try
        {
            return File.Exists(holderFile) ? File.ReadAllText(holderFile).Trim() is { Length: > 0 } h ? h : "another airlock process" : "another airlock process";
        }
        catch (IOException)
        {
            return "another airlock process";
        }
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
