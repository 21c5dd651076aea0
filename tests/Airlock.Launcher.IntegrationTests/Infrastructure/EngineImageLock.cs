namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// One image build or removal at a time per podman storage, across the whole test run and other runs on the machine. Podman (buildah) 4.3 is not safe
/// with concurrent builds and removals on one storage: a build's working container vanishes mid-step ("identifier is not
/// a container"; upstream: containers/buildah#5674, "build tests cannot be parallelized yet"). Docker needs no such care.
/// </summary>
public static class EngineImageLock
{
    private static readonly Dictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal)
    {
        ["podman"] = new SemaphoreSlim(1, 1),
        ["podman-rootless"] = new SemaphoreSlim(1, 1),
    };

    /// <summary>Holds the lock of <paramref name="engine"/>'s storage until disposed (a no-op for Docker).</summary>
    public static async Task<IDisposable> AcquireAsync(string engine, bool asTestUser)
    {
        if (!Locks.TryGetValue(asTestUser ? engine + "-rootless" : engine, out var gate))
        {
            return new Releaser(null, null);
        }

        await gate.WaitAsync();
        try
        {
            // Another run of the suite (a CI copy, say) builds in the same storage: wait for it too.
            return new Releaser(gate, await CrossProcessLock.AcquireAsync("images-" + (asTestUser ? engine + "-rootless" : engine)));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>
    /// Whether these airlock arguments may build or remove images: create, rebuild and delete of a namespace, a launch
    /// with --create, and a bare airlock (which bootstraps 'default' on first run).
    /// </summary>
    public static bool MutatesImages(IReadOnlyList<string> args) =>
        args.Count == 0
        || args.Contains("--create")
        || (args.Count >= 2 && args[0] is "create" or "rebuild" or "delete" && args[1] == "namespace");

    private sealed class Releaser(SemaphoreSlim? gate, IDisposable? fileLock) : IDisposable
    {
        public void Dispose()
        {
            fileLock?.Dispose();
            gate?.Release();
        }
    }
}
