using System.Collections.Concurrent;
using System.Text;
using Airlock.Engine.Containers;
using Airlock.Engine.Streams;

namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>
/// What one test creates in one engine: every container and image made through it carries the run's labels and is
/// removed when the scope is disposed, pass or fail.
/// </summary>
public sealed class EngineScope(TestEngine engine) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _containers = new();
    private readonly ConcurrentQueue<string> _images = new();
    private int _imageCount;

    public TestEngine Engine { get; } = engine;

    public EngineClient Client => Engine.Client;

    /// <summary>This test's own label value, for filters that must not see other tests' objects.</summary>
    public string CaseId { get; } = Guid.NewGuid().ToString("N")[..12];

    public string CaseFilter => $"{TestEngine.CaseLabel}={CaseId}";

    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string>
    {
        [TestEngine.RunLabel] = Engine.RunId,
        [TestEngine.CaseLabel] = CaseId,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a container carrying the run and case labels (plus any the options bring).</summary>
    public async Task<string> CreateAsync(ContainerCreateOptions options)
    {
        var labels = new Dictionary<string, string>(options.Labels);
        foreach (var (key, value) in Labels)
        {
            labels[key] = value;
        }

        var id = await Client.Containers.CreateAsync(options with { Labels = labels }, Ct);
        _containers.Enqueue(id);
        return id;
    }

    public async Task<string> StartAsync(ContainerCreateOptions options)
    {
        var id = await CreateAsync(options);
        await Client.Containers.StartAsync(id, Ct);
        return id;
    }

    /// <summary>A container that idles until removed; init makes stop and kill prompt.</summary>
    public Task<string> StartIdleAsync(ContainerCreateOptions? options = null) =>
        StartAsync((options ?? TestEngine.Container("sleep", "infinity")) with { Init = true });

    /// <summary>Creates, starts and waits for a container, then returns its exit code and log.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ContainerCreateOptions options)
    {
        var id = await StartAsync(options);
        var exit = await Client.Containers.WaitAsync(id, Ct);
        var (stdout, stderr) = await ReadLogsAsync(id);
        return (exit, stdout, stderr);
    }

    public async Task<(string Stdout, string Stderr)> ReadLogsAsync(string id, LogsOptions? options = null)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        await foreach (var chunk in Client.Containers.LogsAsync(id, options ?? new LogsOptions(), Ct))
        {
            (chunk.Kind == OutputKind.Stderr ? stderr : stdout).Append(Encoding.UTF8.GetString(chunk.Data.Span));
        }

        return (stdout.ToString(), stderr.ToString());
    }

    /// <summary>Follows the container's log until a line equal to <paramref name="line"/> appears: the container's own "ready".</summary>
    public async Task WaitForLogLineAsync(string id, string line)
    {
        var text = new StringBuilder();
        await foreach (var chunk in Client.Containers.LogsAsync(id, new LogsOptions(Follow: true), Ct))
        {
            text.Append(Encoding.UTF8.GetString(chunk.Data.Span));
            if (text.ToString().Split('\n').Contains(line))
            {
                return;
            }
        }

        throw new InvalidOperationException($"container {id} stopped before logging '{line}'; it logged: {text}");
    }

    /// <summary>A fresh image name under the test prefix, removed with the scope.</summary>
    public (string Repository, string Tag) NewImageName(string purpose)
    {
        var repository = $"{TestEngine.ImagePrefix}{purpose}";
        var tag = $"{Engine.RunId}-{CaseId}-{Interlocked.Increment(ref _imageCount)}";
        _images.Enqueue($"{repository}:{tag}");
        return (repository, tag);
    }

    public string NewImageReference(string purpose)
    {
        var (repository, tag) = NewImageName(purpose);
        return $"{repository}:{tag}";
    }

    /// <summary>
    /// Imports a tiny image of its own for tests that tag and untag: podman 4.3 can lose a name when two requests rename
    /// the same image at once, so tests never rename the shared base image.
    /// </summary>
    public async Task<string> ImportOwnImageAsync(string purpose)
    {
        var (repository, tag) = NewImageName(purpose);
        using var tar = RootfsTar.Create(("airlock/case", CaseId));
        await Client.Images.ImportAsync(tar, repository, tag, Ct);
        return $"{repository}:{tag}";
    }

    /// <summary>Also removes an image this scope did not name itself (an id, say).</summary>
    public void Track(string image) => _images.Enqueue(image);

    public async ValueTask DisposeAsync()
    {
        // The test's token may already be cancelled (timeout): clean-up must still run.
        foreach (var id in _containers)
        {
            await Client.Containers.RemoveIfExistsAsync(id, CancellationToken.None);
        }

        foreach (var image in _images.Reverse())
        {
            await Client.Images.RemoveIfExistsAsync(image, force: false, CancellationToken.None);
        }

        // podman keeps every stage of a multi-stage build as an untagged image that carries the build's labels.
        if (!_images.IsEmpty)
        {
            foreach (var image in await Client.Images.ListAsync([CaseFilter], ct: CancellationToken.None))
            {
                await Client.Images.RemoveIfExistsAsync(image.Id, force: false, CancellationToken.None);
            }
        }
    }
}
