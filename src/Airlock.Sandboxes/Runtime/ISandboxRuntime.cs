using Airlock.Engine.Containers;
using Airlock.Engine.Exec;
using Airlock.Engine.Identity;
using Airlock.Engine.Images;
using Airlock.Engine.Streams;

namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// The one way the launcher, the server, the reconciler and the terminal code reach sandboxes and their images. It takes
/// a <see cref="SandboxCreate"/> (a <see cref="Specs.SandboxSpec"/> and who owns it) and answers with Airlock's own
/// views; which engine is underneath, how a spec becomes an engine request, which <c>io.airlock.*</c> labels are written
/// and how podman and Docker differ all stay behind it (see docs/design/runtime.md).
/// </summary>
public interface ISandboxRuntime : IDisposable
{
    /// <summary>What answers underneath: kind, version, rootless or not, and the node's own OS, architecture and kernel.</summary>
    EngineIdentity Identity { get; }

    /// <summary>Where the engine was reached (a socket path or URL), for messages.</summary>
    string Endpoint { get; }

    /// <summary>
    /// Creates a sandbox (not started) and returns its id. Never cancelled half-way, and the id is returned even when
    /// <paramref name="ct"/> was cancelled meanwhile: a create the engine finished is never left unknown (the caller checks
    /// the token and removes what it no longer wants).
    /// </summary>
    Task<string> CreateAsync(SandboxCreate create, CancellationToken ct);

    /// <summary>
    /// Creates a container exactly as <paramref name="options"/> describe it, owned by <paramref name="owner"/>, with none
    /// of the wall <see cref="CreateAsync"/> adds (no dropped capabilities, seccomp profile, limits or init unless asked).
    /// Only for <c>airlock engine run</c>, which is the engine's own <c>run</c> with Airlock's label: never for a sandbox.
    /// </summary>
    Task<string> CreateUnhardenedAsync(ContainerCreateOptions options, SandboxOwner owner, CancellationToken ct);

    Task StartAsync(string id, CancellationToken ct);

    /// <summary>The sandbox's stdio; attach before <see cref="StartAsync"/> to see all of its output.</summary>
    Task<ProcessStream> AttachAsync(string id, bool stdin, bool tty, CancellationToken ct);

    Task ResizeAsync(string id, int columns, int rows, CancellationToken ct);

    /// <summary>Waits for the sandbox's process to end and returns its exit code.</summary>
    Task<int> WaitAsync(string id, CancellationToken ct);

    /// <summary>The exit code of a sandbox whose process has ended; null while it runs or when it is gone.</summary>
    Task<int?> TryGetExitCodeAsync(string id, CancellationToken ct);

    /// <summary>The sandbox as it is now (by id or name); null when there is none.</summary>
    Task<SandboxInfo?> TryInspectAsync(string idOrName, CancellationToken ct);

    /// <summary>Sandboxes (running or not, unless <paramref name="runningOnly"/>) whose owner matches every part <paramref name="owner"/> sets.</summary>
    Task<IReadOnlyList<SandboxSummary>> ListAsync(SandboxOwner owner, bool runningOnly, CancellationToken ct);

    /// <summary>Asks the process to stop, and kills it after <paramref name="grace"/>.</summary>
    Task StopAsync(string id, TimeSpan grace, CancellationToken ct);

    Task KillAsync(string id, CancellationToken ct);

    /// <summary>Freezes the sandbox's processes (the engine's freezer): its memory is kept and nothing in it runs until <see cref="ResumeAsync"/>.</summary>
    Task PauseAsync(string id, CancellationToken ct);

    Task ResumeAsync(string id, CancellationToken ct);

    /// <summary>
    /// Removes the sandbox and what it holds, whatever its state; false when it was already gone. A removal the engine
    /// refuses while the sandbox is between states is retried. <see cref="RemoveMode.Detached"/> lets the engine finish a
    /// slow removal after this returns, where the engine's removal is slow (podman's network teardown).
    /// </summary>
    Task<bool> RemoveAsync(string id, RemoveMode mode, CancellationToken ct);

    IAsyncEnumerable<OutputChunk> LogsAsync(string id, bool follow, int? tail, CancellationToken ct);

    /// <summary>A tar stream of <paramref name="path"/> in the sandbox (or in a created, never started one).</summary>
    Task<Stream> ReadArchiveAsync(string id, string path, CancellationToken ct);

    /// <summary>
    /// Extracts a tar stream into <paramref name="path"/>, an existing directory in the sandbox; the engine resolves it and
    /// writes within the sandbox's own filesystem. A missing directory is <c>EngineNotFoundException</c> on every engine.
    /// The stream is read as it is sent; a read that throws aborts the request.
    /// </summary>
    Task WriteArchiveAsync(string id, string path, Stream tar, CancellationToken ct);

    /// <summary>What <paramref name="path"/> is in the sandbox, a link at it not followed; null when nothing is there.</summary>
    Task<SandboxPathStat?> StatPathAsync(string id, string path, CancellationToken ct);

    /// <summary>Creates (does not start) a network guard; it is removed by the engine once it ends.</summary>
    Task<string> CreateGuardAsync(GuardCreate guard, CancellationToken ct);

    /// <summary>Starts a command in a running sandbox.</summary>
    Task<SandboxExecution> ExecAsync(string id, ExecOptions options, CancellationToken ct);

    /// <summary>Runs a command in a running sandbox to its end and returns its output and exit code.</summary>
    Task<ExecResult> RunAsync(string id, ExecOptions options, ReadOnlyMemory<byte>? stdin, CancellationToken ct);

    /// <summary>
    /// Makes an image of the sandbox's filesystem, owned by <paramref name="owner"/> and carrying the caller's own
    /// <paramref name="labels"/> besides; returns the image id.
    /// </summary>
    Task<string> CommitAsync(
        string id, string repository, string tag, SandboxOwner owner, IReadOnlyDictionary<string, string> labels, string comment, CancellationToken ct);

    Task<SandboxImage?> TryInspectImageAsync(string name, CancellationToken ct);

    /// <summary>Images whose owner matches every part <paramref name="owner"/> sets.</summary>
    Task<IReadOnlyList<SandboxImage>> ListImagesAsync(SandboxOwner owner, CancellationToken ct);

    /// <summary>Builds an image owned by <paramref name="owner"/>; <see cref="BuildOptions.Labels"/> carries only the caller's own labels.</summary>
    Task<string> BuildImageAsync(BuildOptions options, SandboxOwner owner, IProgress<BuildProgress>? progress, CancellationToken ct);

    /// <summary>Removes an image; false when it was already gone. Without <paramref name="force"/> an image still used is refused (<c>EngineConflictException</c>).</summary>
    Task<bool> RemoveImageAsync(string name, bool force, CancellationToken ct);

    /// <summary>Every subnet the engine's networks use, so a guard can refuse them all.</summary>
    Task<IReadOnlyList<System.Net.IPNetwork>> ListSubnetsAsync(CancellationToken ct);

    /// <summary>The host's address on the engine's default bridge, where a sandbox reaches a host service.</summary>
    Task<System.Net.IPAddress> GetBridgeGatewayAsync(CancellationToken ct);

    /// <summary>The OCI runtimes the engine has registered (an isolation level is offered where its runtime is among them).</summary>
    Task<EngineRuntimes> OciRuntimesAsync(CancellationToken ct);

    /// <summary>What the node has in all (CPUs and memory).</summary>
    Task<EngineResources> ResourcesAsync(CancellationToken ct);

    /// <summary>Sandboxes of <paramref name="owner"/> that die or are removed, as they happen, until <paramref name="ct"/> ends.</summary>
    IAsyncEnumerable<SandboxEvent> EventsAsync(SandboxOwner owner, CancellationToken ct);
}
