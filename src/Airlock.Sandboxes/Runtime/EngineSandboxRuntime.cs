using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Airlock.Engine;
using Airlock.Engine.Containers;
using Airlock.Engine.Errors;
using Airlock.Engine.Events;
using Airlock.Engine.Exec;
using Airlock.Engine.Identity;
using Airlock.Engine.Images;
using Airlock.Engine.Streams;
using Airlock.Engine.Transport;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// Sandboxes as containers of one podman or Docker engine, through the Engine API. Owns the spec-to-engine mapping
/// (<see cref="ContainerSpecMapper"/>), the labels (<see cref="SandboxOwner"/>) and the places where the two engines differ.
/// </summary>
public sealed class EngineSandboxRuntime(EngineClient engine, TimeProvider? time = null) : ISandboxRuntime
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // Guards are created auto-removing: on podman, ending one is a kill, and podman's own clean-up removes it.
    private readonly ConcurrentDictionary<string, byte> _guards = new(StringComparer.Ordinal);

    /// <summary>Connects to the engine at <paramref name="endpoint"/> (a server's node); throws EngineUnreachableException when it does not answer.</summary>
    public static async Task<EngineSandboxRuntime> ConnectAsync(EngineEndpoint endpoint, TimeProvider time, CancellationToken ct) =>
        new(await EngineClient.ConnectAsync(endpoint, time: time, ct: ct), time);

    public EngineIdentity Identity => engine.Identity;

    public string Endpoint => engine.Endpoint.ToString();

    private bool IsPodman => engine.Identity.Kind == EngineKind.Podman;

    public async Task<string> CreateAsync(SandboxCreate create, CancellationToken ct)
    {
        var options = ContainerSpecMapper.ToCreateOptions(create.Spec, create.Name, create.Owner.ToLabels(), create.ExtraHosts) with
        {
            SeccompProfileDirectory = create.SeccompProfileDirectory,
        };
        if (create.JoinNetworkOf is { } guard)
        {
            options = NetworkGuard.Join(options, guard, engine.Identity.Kind);
        }

        if (create.Spec.Network.Mode == NetworkPolicy.Allowlist)
        {
            var egress = create.Egress ?? throw new ArgumentException($"an {NetworkPolicy.Allowlist} sandbox needs its egress wiring (SandboxCreate.Egress)", nameof(create));
            options = EgressWiring.Apply(options, egress, await CommandOfAsync(create.Spec, ct), create.Spec.Network.HostPorts);
        }

        return await engine.Containers.CreateAsync(options, CancellationToken.None);
    }

    /// <summary>What the engine would run for <paramref name="spec"/>: the image's entrypoint, then the spec's command or the image's.</summary>
    private async Task<IReadOnlyList<string>> CommandOfAsync(SandboxSpec spec, CancellationToken ct)
    {
        var image = await engine.Images.InspectAsync(spec.Image, ct);
        // A snapshot of an allowlist sandbox has the relay as its entrypoint: the relay goes in front once, not twice.
        IReadOnlyList<string> command = [.. EgressWiring.WithoutRelay(image.Config?.Entrypoint ?? []), .. spec.Command ?? image.Config?.Cmd ?? []];
        return command.Count > 0
            ? command
            : throw new ArgumentException($"image {spec.Image} has no entrypoint or command, and the sandbox names none", nameof(spec));
    }

    public Task<string> CreateUnhardenedAsync(ContainerCreateOptions options, SandboxOwner owner, CancellationToken ct) =>
        engine.Containers.CreateAsync(options with { Labels = owner.WrittenOver(options.Labels) }, ct);

    public async Task<string> CreateGuardAsync(GuardCreate guard, CancellationToken ct)
    {
        var ports = guard.Ports.Select(ContainerSpecMapper.ToPortMapping).ToList();
        var options = NetworkGuard.CreateOptions(
            guard.Image, guard.Name, guard.NetworkMode, guard.Hostname, guard.ExtraHosts, ports, guard.UsernsMode, guard.Owner.WrittenOver(guard.Labels));
        var id = await engine.Containers.CreateAsync(options, CancellationToken.None);
        _guards[id] = 0;
        return id;
    }

    public Task StartAsync(string id, CancellationToken ct) => engine.Containers.StartAsync(id, ct);

    public Task<ProcessStream> AttachAsync(string id, bool stdin, bool tty, CancellationToken ct) => engine.Containers.AttachAsync(id, stdin, tty, ct);

    public Task ResizeAsync(string id, int columns, int rows, CancellationToken ct) => engine.Containers.ResizeAsync(id, columns, rows, ct);

    public Task<int> WaitAsync(string id, CancellationToken ct) => engine.Containers.WaitAsync(id, ct);

    public Task<int?> TryGetExitCodeAsync(string id, CancellationToken ct) => engine.Containers.TryGetExitCodeAsync(id, ct);

    public async Task<SandboxInfo?> TryInspectAsync(string idOrName, CancellationToken ct) =>
        await engine.Containers.TryInspectAsync(idOrName, ct) is { } details ? ToInfo(details) : null;

    public async Task<IReadOnlyList<SandboxSummary>> ListAsync(SandboxOwner owner, bool runningOnly, CancellationToken ct)
    {
        var found = await engine.Containers.ListAsync(owner.ToFilters(), all: !runningOnly, ct);
        return found
            .Select(c => new SandboxSummary(
                c.Id, c.Name, c.Image ?? "", c.State, c.Status, DateTimeOffset.FromUnixTimeSeconds(c.Created), SandboxOwner.FromLabels(c.Labels))
            {
                Isolation = SandboxOwner.IsolationFromLabels(c.Labels),
            })
            .ToList();
    }

    public Task StopAsync(string id, TimeSpan grace, CancellationToken ct) => engine.Containers.StopAsync(id, grace, ct);

    public Task KillAsync(string id, CancellationToken ct) => engine.Containers.KillAsync(id, ct: ct);

    public Task PauseAsync(string id, CancellationToken ct) => engine.Containers.PauseAsync(id, ct);

    public Task ResumeAsync(string id, CancellationToken ct) => engine.Containers.UnpauseAsync(id, ct);

    public async Task<bool> RemoveAsync(string id, RemoveMode mode, CancellationToken ct)
    {
        // Only podman's removal is worth not waiting for (~200 ms of network teardown). Docker's takes a few ms, and a
        // removal sent while Docker is still handling the exit can fail: unanswered, it would leave the container behind.
        if (mode == RemoveMode.Detached && IsPodman && await RemoveDetachedAsync(id))
        {
            return true;
        }

        // podman refuses ("container state improper") while a container is between states, e.g. a process that exits
        // the moment it starts; a few short retries ride that out.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var removed = await engine.Containers.RemoveIfExistsAsync(id, ct);
                _guards.TryRemove(id, out _);
                return removed;
            }
            catch (EngineConflictException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), _time, ct);
            }
        }
    }

    /// <summary>
    /// Hands a removal to podman. A guard (auto-removing) is killed and podman's clean-up removes it: not a removal request
    /// whose answer is not awaited, as podman 4.3 ties the network teardown to the request and a client that goes away
    /// can cut it short, leaving a container stuck in "Removing" that fails every network look-up after it. A sandbox
    /// joined to a guard owns no network, so its detached removal tears nothing down. False when the engine could not
    /// be asked (then the caller removes and waits, which reports a real problem).
    /// </summary>
    private async Task<bool> RemoveDetachedAsync(string id)
    {
        try
        {
            if (_guards.TryRemove(id, out _))
            {
                await engine.Containers.KillAsync(id, ct: CancellationToken.None);
            }
            else
            {
                await engine.Containers.RemoveDetachedAsync(id, CancellationToken.None);
            }

            return true;
        }
        catch (EngineException)
        {
            return false;
        }
    }

    public IAsyncEnumerable<OutputChunk> LogsAsync(string id, bool follow, int? tail, CancellationToken ct) =>
        engine.Containers.LogsAsync(id, new LogsOptions(Follow: follow, Tail: tail), ct);

    public Task<Stream> ReadArchiveAsync(string id, string path, CancellationToken ct) => engine.Containers.GetArchiveAsync(id, path, ct);

    public async Task WriteArchiveAsync(string id, string path, Stream tar, CancellationToken ct)
    {
        // podman makes a missing directory where Docker answers 404: both answer 404 here, so a typo never makes a tree.
        // A link to a directory is a directory to both engines, which resolve it within the sandbox.
        var stat = await StatPathAsync(id, path, ct);
        if (stat is { Kind: SandboxPathKind.Symlink, LinkTarget: { } target })
        {
            stat = await StatPathAsync(id, target, ct);
        }

        if (stat is not { Kind: SandboxPathKind.Directory })
        {
            throw new EngineNotFoundException($"copy into {path} of sandbox {id}: {path} is not a directory", stat is null ? "no such directory" : "not a directory");
        }

        await engine.Containers.PutArchiveAsync(id, path, tar, ct);
    }

    public async Task<SandboxPathStat?> StatPathAsync(string id, string path, CancellationToken ct)
    {
        if (await engine.Containers.StatPathAsync(id, path, ct) is not { } stat)
        {
            return null;
        }

        var kind = (stat.Mode & ContainerPathStat.ModeType) switch
        {
            0 => SandboxPathKind.File,
            ContainerPathStat.ModeDir => SandboxPathKind.Directory,
            ContainerPathStat.ModeSymlink => SandboxPathKind.Symlink,
            _ => SandboxPathKind.Other,
        };

        // Docker names the link and podman its target, and podman fills linkTarget for every path: the name is the path's
        // own, and a link target is kept for links only.
        var name = path == "/" ? "/" : path[(path.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/');
        return new SandboxPathStat(name, kind, stat.Size, stat.UnixMode, stat.Modified, kind == SandboxPathKind.Symlink ? stat.LinkTarget : null);
    }

    public async Task<SandboxExecution> ExecAsync(string id, ExecOptions options, CancellationToken ct)
    {
        var marker = ExecMarker.NewValue();
        var marked = ExecMarker.Mark(options, marker);
        var execId = await engine.Exec.CreateAsync(id, marked, ct);
        var stream = await engine.Exec.StartAsync(execId, options.Tty, ct);
        return new SandboxExecution(
            stream,
            (columns, rows, c) => engine.Exec.ResizeAsync(execId, columns, rows, c),
            c => engine.Exec.GetExitCodeAsync(execId, c),
            c => engine.Exec.RunAsync(id, ExecMarker.Killer(marked, marker), ct: c))
        {
            Id = execId,
        };
    }

    public Task<ExecResult> RunAsync(string id, ExecOptions options, ReadOnlyMemory<byte>? stdin, CancellationToken ct) =>
        engine.Exec.RunAsync(id, options, stdin, ct);

    public Task<string> CommitAsync(
        string id, string repository, string tag, SandboxOwner owner, IReadOnlyDictionary<string, string> labels, string comment, CancellationToken ct) =>
        engine.Containers.CommitAsync(id, repository, tag, owner.WrittenOver(labels), comment, ct: ct);

    public async Task<SandboxImage?> TryInspectImageAsync(string name, CancellationToken ct) =>
        await engine.Images.TryInspectAsync(name, ct) is { } details ? ToImage(details) : null;

    public async Task<IReadOnlyList<SandboxImage>> ListImagesAsync(SandboxOwner owner, CancellationToken ct)
    {
        var found = await engine.Images.ListAsync(owner.ToFilters(), ct: ct);
        return found
            .Select(i => new SandboxImage(
                i.Id, i.RepoTags ?? [], [], SandboxOwner.FromLabels(i.Labels), SandboxOwner.WithoutOwnLabels(i.Labels),
                DateTimeOffset.FromUnixTimeSeconds(i.Created), i.Size, null, null, null, [], []))
            .ToList();
    }

    public Task<string> BuildImageAsync(BuildOptions options, SandboxOwner owner, IProgress<BuildProgress>? progress, CancellationToken ct) =>
        engine.Images.BuildAsync(options with { Labels = owner.WrittenOver(options.Labels) }, progress, ct);

    public Task<bool> RemoveImageAsync(string name, bool force, CancellationToken ct) => engine.Images.RemoveIfExistsAsync(name, force, ct);

    public Task<IReadOnlyList<IPNetwork>> ListSubnetsAsync(CancellationToken ct) => engine.Networks.ListSubnetsAsync(ct);

    public Task<IPAddress> GetBridgeGatewayAsync(CancellationToken ct) => engine.Networks.GetBridgeGatewayAsync(ct);

    public Task<EngineRuntimes> OciRuntimesAsync(CancellationToken ct) => engine.RuntimesAsync(ct);

    public Task<EngineResources> ResourcesAsync(CancellationToken ct) => engine.ResourcesAsync(ct);

    public async IAsyncEnumerable<SandboxEvent> EventsAsync(SandboxOwner owner, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = await engine.Events.SubscribeAsync(new EventFilter(Labels: owner.ToFilters(), Types: ["container"]), ct);
        await foreach (var ev in subscription.ReadAsync(ct))
        {
            // Docker says die and destroy; podman died and remove.
            var action = ev.Action switch
            {
                "die" or "died" => SandboxEvent.Died,
                "destroy" or "remove" => SandboxEvent.Removed,
                _ => null,
            };
            if (action is not null)
            {
                yield return new SandboxEvent(ev.Id, action, SandboxOwner.FromLabels(ev.Actor.Attributes));
            }
        }
    }

    public void Dispose() => engine.Dispose();

    private static SandboxInfo ToInfo(ContainerDetails d) => new(
        d.Id,
        d.Name.TrimStart('/'),
        d.Config.Image ?? d.Image ?? "",
        d.State.Running,
        d.State.Status,
        d.State.ExitCode,
        d.State.OOMKilled,
        SandboxOwner.FromLabels(d.Config.Labels),
        SandboxOwner.WithoutOwnLabels(d.Config.Labels),
        ParseTime(d.State.StartedAt),
        ParseTime(d.State.FinishedAt),
        d.NetworkSettings.PrimaryAddress)
    {
        User = d.Config.User,
        WorkingDirectory = d.Config.WorkingDir,
        Isolation = SandboxOwner.IsolationFromLabels(d.Config.Labels),
    };

    private static SandboxImage ToImage(ImageDetails d) => new(
        d.Id,
        d.RepoTags ?? [],
        d.RepoDigests ?? [],
        SandboxOwner.FromLabels(d.Config?.Labels),
        SandboxOwner.WithoutOwnLabels(d.Config?.Labels),
        ParseTime(d.Created),
        d.Size,
        d.Os,
        d.Architecture,
        d.Config?.User,
        d.Config?.Env ?? [],
        [.. d.Config?.Entrypoint ?? [], .. d.Config?.Cmd ?? []]);

    // Engines write the zero time (0001-01-01) for "never"; that is null here.
    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed.Year > 1 ? parsed : null;
}
