using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Airlock.Engine.Errors;
using Airlock.Engine.Exec;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Runtime;
using Airlock.Server.Errors;
using Airlock.Server.Nodes;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// Files of a running sandbox (docs/design/files-api.md). Bytes go through the engine's archive API, which resolves
/// every path within the sandbox's root; list, mkdir, move and delete run coreutils in the sandbox as its own user, with
/// each path a separate argument after the options, so they see exactly what the sandbox sees and nothing of the host.
/// Paths are checked by <see cref="SandboxPath"/> before anything runs. The commands are in SandboxFiles.Commands.cs.
/// </summary>
public sealed partial class SandboxFiles(SandboxService sandboxes, IEngineNodes nodes, ILogger<SandboxFiles> logger)
{
    /// <summary>Links followed to reach what a download names, as the kernel's own bound (ELOOP) is near this.</summary>
    private const int MaxLinkHops = 8;

    /// <summary>Bytes of a command's error output kept for the answer.</summary>
    private const int MaxErrorChars = 512;

    private readonly TenantSlots _slots = new(
        ServerLimits.MaxFileRequestsPerTenant, "file requests", "wait for one to finish (an upload or download holds its place until its body is sent) and retry");

    private readonly ConcurrentDictionary<string, FileOwner> _owners = new(StringComparer.Ordinal);

    /// <summary>A running sandbox of the tenant, its runtime, and one of the tenant's file-request slots.</summary>
    public async Task<SandboxHandle> OpenAsync(string tenantId, string id, CancellationToken ct)
    {
        var sandbox = await sandboxes.GetAsync(tenantId, id, ct);
        var container = SandboxService.RequireContainer(sandbox, SandboxState.Running);

        // gVisor keeps the sandbox's root filesystem in its own overlay: the engines' archive API reads and writes the
        // host-side copy, which the sandbox never sees (Docker), or finds nothing (podman). Refused, not half-working.
        if (SandboxView.From(sandbox).Isolation == Airlock.Sandboxes.Specs.IsolationLevels.GvisorName)
        {
            throw ApiException.Conflict(
                $"sandbox {id} runs at the gvisor isolation level, where the files API is not offered yet (the engine's archive API does not see gVisor's own filesystem); move files with POST /v1/sandboxes/{id}/exec (e.g. base64 through stdin and stdout), or use a container-level sandbox");
        }

        var runtime = await nodes.GetAsync(sandbox.Node, ct);
        await sandboxes.TouchAsync(sandbox, ct);
        return new SandboxHandle(id, container, runtime, _slots.Enter(tenantId));
    }

    public async Task<SandboxFileEntry> StatAsync(SandboxHandle sandbox, string path, string field, CancellationToken ct) =>
        SandboxFileEntry.From(path, await sandbox.Runtime.StatPathAsync(sandbox.Container, path, ct) ?? throw Missing(sandbox, field, path));

    /// <summary>What <paramref name="path"/> resolves to (links followed within the sandbox), and its stat.</summary>
    public async Task<(string Path, SandboxPathStat Stat)> ResolveAsync(SandboxHandle sandbox, string path, string field, CancellationToken ct)
    {
        var current = path;
        for (var hop = 0; hop <= MaxLinkHops; hop++)
        {
            var stat = await sandbox.Runtime.StatPathAsync(sandbox.Container, current, ct);
            if (stat is null)
            {
                throw current == path ? Missing(sandbox, field, path) : ApiException.NotFound($"{field}: {path} is a symbolic link to {current}, which does not exist in sandbox {sandbox.Id}");
            }

            if (stat is not { Kind: SandboxPathKind.Symlink, LinkTarget: { } target })
            {
                return (current, stat);
            }

            if (SandboxPath.KernelProblem(target) is { } kernel)
            {
                throw ApiException.BadRequest($"{field}: {path} is a symbolic link to {target}: {kernel}");
            }

            current = target;
        }

        throw ApiException.BadRequest($"{field}: {path} goes through more than {MaxLinkHops} symbolic links in sandbox {sandbox.Id}; name what they lead to");
    }

    /// <summary>Writes one regular file's bytes to <paramref name="response"/>, streamed from the engine's tar.</summary>
    public async Task DownloadAsync(SandboxHandle sandbox, string path, Microsoft.AspNetCore.Http.HttpResponse response, CancellationToken ct)
    {
        await using var file = await OpenFileAsync(sandbox, path, "query.path", ct);
        var entry = file.Entry;
        response.ContentType = "application/octet-stream";
        response.ContentLength = entry.Length;
        response.Headers["X-Airlock-File-Mode"] = SandboxFileEntry.Octal((int)entry.Mode);
        response.Headers.LastModified = entry.ModificationTime.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        if (entry.DataStream is { } data)
        {
            await data.CopyToAsync(response.Body, ct);
        }
    }

    /// <summary>
    /// One regular file's bytes, when it has at most <paramref name="max"/> (a link followed within the sandbox);
    /// <paramref name="tooLarge"/> makes the answer for a larger one from its size.
    /// </summary>
    public async Task<byte[]> ReadAsync(SandboxHandle sandbox, string path, string field, long max, Func<long, Exception> tooLarge, CancellationToken ct)
    {
        await using var file = await OpenFileAsync(sandbox, path, field, ct);
        if (file.Entry.Length > max)
        {
            throw tooLarge(file.Entry.Length);
        }

        var bytes = new MemoryStream((int)file.Entry.Length);
        if (file.Entry.DataStream is { } data)
        {
            await data.CopyToAsync(bytes, ct);
        }

        return bytes.ToArray();
    }

    /// <summary>The regular file at <paramref name="path"/> (a link followed within the sandbox) as its entry of the engine's tar.</summary>
    private async Task<OpenedFile> OpenFileAsync(SandboxHandle sandbox, string path, string field, CancellationToken ct)
    {
        var (resolved, stat) = await ResolveAsync(sandbox, path, field, ct);
        if (stat.Kind == SandboxPathKind.Directory)
        {
            throw ApiException.BadRequest($"{field}: {path} is a directory; download it as a tar with GET /v1/sandboxes/{sandbox.Id}/files/archive?path={path}");
        }

        if (stat.Kind != SandboxPathKind.File)
        {
            throw ApiException.BadRequest($"{field}: {path} is not a regular file (a device, pipe or socket); only files are downloaded");
        }

        var tar = await ReadArchiveAsync(sandbox, resolved, field, ct);
        var reader = new TarReader(tar);
        try
        {
            var entry = await reader.GetNextEntryAsync(copyData: false, ct);
            if (entry is not { EntryType: TarEntryType.RegularFile or TarEntryType.V7RegularFile })
            {
                throw ApiException.Conflict($"{field}: {path} changed while it was read (it is no longer a regular file); retry");
            }

            return new OpenedFile(tar, reader, entry);
        }
        catch
        {
            await reader.DisposeAsync();
            await tar.DisposeAsync();
            throw;
        }
    }

    /// <summary>A tar of <paramref name="path"/> (a link at it followed within the sandbox), entries named from its last part.</summary>
    public async Task<Stream> ReadTreeAsync(SandboxHandle sandbox, string path, CancellationToken ct)
    {
        var (resolved, _) = await ResolveAsync(sandbox, path, "query.path", ct);
        return await ReadArchiveAsync(sandbox, resolved, "query.path", ct);
    }

    /// <summary>Creates or replaces one file from <paramref name="body"/> (exactly <paramref name="length"/> bytes).</summary>
    public async Task<SandboxFileEntry> UploadAsync(SandboxHandle sandbox, string path, int mode, Stream body, long length, CancellationToken ct)
    {
        if (path == "/")
        {
            throw ApiException.BadRequest("query.path: / is the sandbox's root directory; name the file to write, e.g. /tmp/data.bin");
        }

        var parent = SandboxPath.Parent(path);
        await RequireDirectoryAsync(sandbox, parent, $"query.path: the directory {parent} that would hold {path}", ct);
        if (await sandbox.Runtime.StatPathAsync(sandbox.Container, path, ct) is { Kind: SandboxPathKind.Directory })
        {
            throw ApiException.Conflict($"query.path: {path} is a directory; a file cannot replace it (delete it first, or upload into it under a file name)");
        }

        var owner = await OwnerAsync(sandbox, ct);
        await WriteAsync(sandbox, parent, async (output, c) =>
        {
            await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            await writer.WriteEntryAsync(
                new PaxTarEntry(TarEntryType.RegularFile, SandboxPath.NameOf(path))
                {
                    Mode = (UnixFileMode)mode,
                    Uid = owner.Uid,
                    Gid = owner.Gid,
                    ModificationTime = DateTimeOffset.UtcNow,
                    DataStream = length > 0 ? new KnownLengthStream(body, length) : null,
                },
                c);
        }, ct);
        return await StatAsync(sandbox, path, "query.path", ct);
    }

    /// <summary>Extracts a tenant's tar into the directory <paramref name="path"/>, every entry checked (<see cref="TenantArchive"/>).</summary>
    public async Task UploadTreeAsync(SandboxHandle sandbox, string path, Stream tar, CancellationToken ct)
    {
        await RequireDirectoryAsync(sandbox, path, $"query.path: {path}", ct);
        var owner = await OwnerAsync(sandbox, ct);
        await WriteAsync(sandbox, path, (output, c) => TenantArchive.CopyCheckedAsync(tar, output, owner, c), ct);
    }

    private async Task RequireDirectoryAsync(SandboxHandle sandbox, string path, string what, CancellationToken ct)
    {
        var stat = await sandbox.Runtime.StatPathAsync(sandbox.Container, path, ct);
        if (stat is { Kind: SandboxPathKind.Symlink, LinkTarget: { } target })
        {
            if (SandboxPath.KernelProblem(target) is { } kernel)
            {
                throw ApiException.BadRequest($"{what} is a symbolic link to {target}: {kernel}");
            }

            stat = await sandbox.Runtime.StatPathAsync(sandbox.Container, target, ct);
        }

        if (stat is null)
        {
            throw ApiException.NotFound($"{what} does not exist in sandbox {sandbox.Id}; make it first with POST /v1/sandboxes/{sandbox.Id}/files/mkdir");
        }

        if (stat.Kind != SandboxPathKind.Directory)
        {
            throw ApiException.Conflict($"{what} is a {SandboxFileEntry.KindName(stat.Kind)}, not a directory");
        }
    }

    /// <summary>
    /// Sends what <paramref name="produce"/> writes to the engine as the tar of a PUT, through a pipe, so neither side is
    /// held whole. A producer that fails (a refused entry, a body over the bound) aborts the PUT, and its error is the
    /// answer, not the aborted request's.
    /// </summary>
    private async Task WriteAsync(SandboxHandle sandbox, string dir, Func<Stream, CancellationToken, Task> produce, CancellationToken ct)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producing = Task.Run(async () =>
        {
            try
            {
                await using var output = pipe.Writer.AsStream(leaveOpen: true);
                await produce(output, stop.Token);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
                throw;
            }
        }, CancellationToken.None);

        try
        {
            await using var input = pipe.Reader.AsStream();
            await sandbox.Runtime.WriteArchiveAsync(sandbox.Container, dir, input, ct);
        }
        catch (Exception ex) when (producing.IsFaulted || ex is not ApiException)
        {
            await stop.CancelAsync();
            try
            {
                await producing;
            }
            catch (Exception produced) when (produced is ApiException or EndOfStreamException or Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                throw produced is EndOfStreamException eof ? ApiException.BadRequest($"the body ended early: {eof.Message}") : produced;
            }
            catch (Exception)
            {
                // The producer only failed because the PUT did: the PUT's error is the one to give.
            }

            if (ex is EngineNotFoundException)
            {
                throw ApiException.NotFound($"query.path: the directory {dir} does not exist in sandbox {sandbox.Id}");
            }

            LogWriteFailed(logger, sandbox.Id, dir, ex.Message);
            throw;
        }

        await producing;
    }

    private static async Task<Stream> ReadArchiveAsync(SandboxHandle sandbox, string path, string field, CancellationToken ct)
    {
        try
        {
            return await sandbox.Runtime.ReadArchiveAsync(sandbox.Container, path, ct);
        }
        catch (EngineNotFoundException)
        {
            throw Missing(sandbox, field, path);
        }
    }

    /// <summary>The sandbox user's numeric ids, asked of the sandbox once per container (`id`, as that user).</summary>
    private async Task<FileOwner> OwnerAsync(SandboxHandle sandbox, CancellationToken ct)
    {
        if (_owners.TryGetValue(sandbox.Container, out var known))
        {
            return known;
        }

        // An image without `id` (distroless) gets root's ids: the engine's own default for what it extracts.
        var owner = FileOwner.Root;
        try
        {
            var uid = await sandbox.Runtime.RunAsync(sandbox.Container, new ExecOptions { Command = ["id", "-u"] }, null, ct);
            var gid = await sandbox.Runtime.RunAsync(sandbox.Container, new ExecOptions { Command = ["id", "-g"] }, null, ct);
            if (uid.ExitCode == 0 && gid.ExitCode == 0
                && int.TryParse(uid.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                && int.TryParse(gid.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var g))
            {
                owner = new FileOwner(u, g);
            }
        }
        catch (EngineException ex) when (ex is not EngineUnreachableException)
        {
            LogNoOwner(logger, sandbox.Id, ex.Message);
        }

        if (_owners.Count > 10_000)
        {
            _owners.Clear(); // Containers come and go; a stale entry costs only a second `id`.
        }

        _owners[sandbox.Container] = owner;
        return owner;
    }

    private static ApiException Missing(SandboxHandle sandbox, string field, string path) =>
        ApiException.NotFound($"{field}: {path} does not exist in sandbox {sandbox.Id}");

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {Sandbox} did not say its user's ids (`id` failed: {Reason}); uploads into it are owned by root")]
    private static partial void LogNoOwner(ILogger logger, string sandbox, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "upload into {Directory} of sandbox {Sandbox} failed: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string sandbox, string directory, string reason);
}
