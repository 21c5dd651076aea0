using System.Collections.Concurrent;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>A namespace made from the base template, shared by the tests that only run things in it.</summary>
public sealed record SharedNamespace(string Engine, string Name, string AirlockHome)
{
    public string Image => Names.Image(Name, AirlockHome);
}

/// <summary>
/// One <see cref="SharedNamespace"/> per engine, created on first use. The first base build in an engine pays for
/// apt-get; every later build of the base template (the tests' own namespaces) hits the layer cache, as long as this
/// namespace's image keeps those layers alive, which is why tests that build wait for it first (<see cref="WarmAsync"/>).
/// When the run ends it is deleted and both engines are checked for leftovers.
/// </summary>
public sealed class SharedNamespaces : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SharedNamespace>>> _namespaces = new(StringComparer.Ordinal);
    private readonly string _root = Names.NewScratchDir("shared");
    private int _tornDown;

    public Task<SharedNamespace> GetAsync(string engine) =>
        _namespaces.GetOrAdd(engine, e => new Lazy<Task<SharedNamespace>>(() => CreateAsync(e))).Value;

    /// <summary>Waits until the engine's layer cache holds the base template's layers.</summary>
    public Task WarmAsync(string engine) => GetAsync(engine);

    private async Task<SharedNamespace> CreateAsync(string engine)
    {
        var home = Path.Combine(_root, engine);
        var name = Names.Namespace();
        var env = new Dictionary<string, string?>
        {
            ["AIRLOCK_ENGINE"] = engine,
            ["AIRLOCK_HOME"] = home,
            ["NO_COLOR"] = "1",
            ["DOCKER_HOST"] = null,
            ["AIRLOCK_BASE_IMAGE"] = null,
        };
        ProcessResult created;
        using (await EngineImageLock.AcquireAsync(engine, asTestUser: false))
        {
            created = await ProcessRunner.RunAsync(AirlockBinary.Path, ["create", "namespace", name, "base"], env, _root, timeout: TimeSpan.FromMinutes(10));
        }

        created.ExitCode.ShouldBe(0, $"the shared {engine} namespace could not be created:\n{created}");
        return new SharedNamespace(engine, name, home);
    }

    /// <summary>What went wrong deleting the shared namespaces, for the leak check's message.</summary>
    public List<string> TearDownProblems { get; } = [];

    /// <summary>Names of the shared namespaces made so far, for the leak check's message.</summary>
    public IEnumerable<string> Made => _namespaces.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => $"{l.Value.Result.Engine}: {l.Value.Result.Name}");

    /// <summary>Deletes the shared namespaces (idempotent): the leak check runs after this.</summary>
    public async Task TearDownAsync()
    {
        if (Interlocked.Exchange(ref _tornDown, 1) == 1)
        {
            return;
        }

        foreach (var lazy in _namespaces.Values.Where(l => l.IsValueCreated))
        {
            SharedNamespace shared;
            try
            {
                shared = await lazy.Value;
            }
            catch (Exception ex) when (ex is ShouldAssertException or TimeoutException)
            {
                continue; // it was never made; the tests that needed it failed saying why
            }

            var env = new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = shared.Engine, ["AIRLOCK_HOME"] = shared.AirlockHome, ["NO_COLOR"] = "1" };
            using (await EngineImageLock.AcquireAsync(shared.Engine, asTestUser: false))
            {
                var deleted = await ProcessRunner.RunAsync(AirlockBinary.Path, ["delete", "namespace", shared.Name, "--force"], env, _root);
                if (deleted.ExitCode != 0)
                {
                    TearDownProblems.Add($"deleting the shared {shared.Engine} namespace {shared.Name} failed:\n{deleted}");
                }

                await Engines.RemoveImageAsync(shared.Engine, shared.Image);
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS temp clean-up.
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await TearDownAsync();
        // For runs filtered so that LeakCheckTests was not among them.
        var leaks = await LeakCheck.FindAndRemoveAsync();
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException(LeakCheck.Describe(leaks));
        }
    }
}
