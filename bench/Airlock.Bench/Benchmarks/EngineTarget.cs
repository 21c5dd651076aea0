using Airlock.Bench.Infrastructure;
using Airlock.Engine;
using Airlock.Engine.Containers;
using Airlock.Engine.Identity;
using Airlock.Engine.Transport;

namespace Airlock.Bench.Benchmarks;

/// <summary>
/// One engine under test: its API through Airlock.Engine and its own command-line client, both running the same
/// image and command, each timed from the caller's side.
/// </summary>
internal sealed class EngineTarget(string name, EngineKind kind, EngineEndpoint endpoint, string cliSetting) : IDisposable
{
    public string Name { get; } = name;

    public EngineKind Kind { get; } = kind;

    public EngineEndpoint Endpoint { get; } = endpoint;

    public EngineClient? Client { get; private set; }

    public string CliPath { get; private set; } = "";

    public string CliVersion { get; private set; } = "";

    /// <summary>Arguments before the subcommand: Docker's CLI is pointed at the same socket the API side uses.</summary>
    public IReadOnlyList<string> CliGlobalArgs => Kind == EngineKind.Docker ? ["-H", Endpoint.ToString()] : [];

    public Samples Api { get; } = new($"{name} api");

    public Samples Steps { get; } = new($"{name} steps");

    public Samples Cli { get; } = new($"{name} cli");

    public Samples Create { get; } = new("create");

    public Samples Start { get; } = new("start");

    public Samples Wait { get; } = new("wait");

    public Samples Remove { get; } = new("remove");

    /// <summary>Connects, checks the engine is the expected one and has the image, finds the CLI. Null when ready, else why not.</summary>
    public async Task<string?> PrepareAsync(string image, CancellationToken ct)
    {
        try
        {
            Client = await EngineClient.ConnectAsync(Endpoint, ct: ct);
        }
        catch (Exception ex) when (ex is Airlock.Engine.Errors.EngineException or HttpRequestException)
        {
            return $"no engine at {Endpoint}: {ex.Message}";
        }

        if (Client.Identity.Kind != Kind)
        {
            return $"{Endpoint} is {Client.Identity.Kind}, not {Kind}";
        }

        if (!await Client.Images.ExistsAsync(image, ct))
        {
            return $"image {image} is not in {Name} (make one with scripts/base-image.sh, or set AIRLOCK_BENCH_IMAGE)";
        }

        var resolved = CliProcess.Resolve(cliSetting);
        if (resolved is null)
        {
            return $"no {Name} CLI at '{cliSetting}'";
        }

        CliPath = resolved;
        var version = await CliProcess.RunAsync(CliPath, ["--version"], ct);
        CliVersion = version.ExitCode == 0 ? version.Stdout : "unknown version";
        return null;
    }

    public ContainerCreateOptions Options(string image, params string[] command) =>
        new() { Image = image, Command = command, Labels = BenchLabel.Labels };

    /// <summary>One API run: create, start, wait for the exit, read the exit code, remove.</summary>
    public async Task<ContainerRunResult> RunApiAsync(ContainerCreateOptions options, CancellationToken ct) =>
        await Client!.Containers.RunToCompletionAsync(options, ct);

    /// <summary>
    /// The same run as four plain calls (create, start, <see cref="ContainersClient.WaitAsync"/>, remove): what a caller
    /// without <see cref="ContainersClient.RunToCompletionAsync"/> would write. Returns the exit code.
    /// </summary>
    public async Task<int> RunStepsAsync(ContainerCreateOptions options, CancellationToken ct)
    {
        var containers = Client!.Containers;
        var id = await containers.CreateAsync(options, ct);
        try
        {
            await containers.StartAsync(id, ct);
            var exitCode = await containers.WaitAsync(id, ct);
            await containers.RemoveAsync(id, ct: ct);
            return exitCode;
        }
        catch
        {
            await containers.RemoveIfExistsAsync(id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>One CLI run: <c>run --rm</c>, labelled like the API's containers so the sweep covers both.</summary>
    public Task<CliRun> RunCliAsync(string image, CancellationToken ct) =>
        CliProcess.RunAsync(CliPath, [.. CliGlobalArgs, "run", "--rm", "--label", BenchLabel.Selector, image, "true"], ct);

    public string CliCommandLine(string image) =>
        string.Join(' ', [CliPath, .. CliGlobalArgs, "run", "--rm", "--label", BenchLabel.Selector, image, "true"]);

    public void Dispose() => Client?.Dispose();
}
