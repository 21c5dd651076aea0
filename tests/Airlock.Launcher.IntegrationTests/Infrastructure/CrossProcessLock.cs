namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A lock shared by every test process on the machine (an flock'd file in the temp dir), for what is global to an
/// engine whoever runs the suite: podman's image storage, and the one name 'default' a bootstrap must use.
/// </summary>
public static class CrossProcessLock
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    /// <summary>Holds the lock named <paramref name="name"/> until disposed; waits (polling) while another process holds it.</summary>
    public static async Task<IDisposable> AcquireAsync(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"airlock-it-{name}.lock");
        var held = await Poll.UntilAsync(() => Task.FromResult(TryLock(path)), l => l is not null, $"the machine-wide lock {path}", Patience);
        return held!;
    }

    private static FileStream? TryLock(string path)
    {
        try
        {
            // .NET takes flock(LOCK_EX) for FileShare.None on Unix; the kernel drops it if this process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
