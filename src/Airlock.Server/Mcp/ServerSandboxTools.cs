using System.Text;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Mcp;
using Airlock.Server.Audit;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Nodes;
using Airlock.Server.Observability;
using Airlock.Server.Sandboxes;
using Airlock.Server.Sandboxes.Files;
using Airlock.Server.Store;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Mcp;

/// <summary>
/// The MCP sandbox tools over one caller's tenant on <c>airlock serve</c>: made for each <c>/mcp</c> request from the
/// key that sent it, so every tool acts in that key's tenant with that key's role and nothing else. The work is the REST
/// routes' own: <see cref="SandboxService"/> (the tenant's quota, defaults, images and templates), <see cref="SandboxExec"/>
/// (the tenant's exec slots and time limits) and <see cref="SandboxFiles"/>. Each role is the one the REST equivalent asks
/// (Viewer lists and reads, Operator creates, runs, writes and deletes); a sandbox of another tenant is "not found", as
/// on REST. The calls that change something are audited as their REST equivalents are, refusals included.
/// </summary>
public sealed partial class ServerSandboxTools(
    Caller caller,
    SandboxService sandboxes,
    SandboxStore store,
    SandboxExec exec,
    SandboxFiles files,
    IEngineNodes nodes,
    AuditStore audit,
    ServerMetrics metrics,
    TimeProvider time,
    ILogger<ServerSandboxTools> logger) : ISandboxTools
{
    /// <summary>The audit status of a change whose caller left before it ended (nginx's "client closed request").</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>What create_sandbox makes when it names neither template nor image.</summary>
    public const string DefaultTemplate = "base";

    /// <summary>What a sandbox made by create_sandbox runs: nothing but waiting, each tool call being a command run in it.</summary>
    private static readonly IReadOnlyList<string> Idle = ["sleep", "infinity"];

    public Task<McpSandbox> CreateAsync(SandboxCreateRequest request, CancellationToken ct) =>
        ActAsync(SandboxToolset.CreateSandbox, Role.Operator, null, async (tenant, target) =>
        {
            var source = request.Namespace ?? DefaultTemplate;
            var isImage = source.Contains('/', StringComparison.Ordinal) || source.Contains(':', StringComparison.Ordinal);
            var created = await sandboxes.CreateAsync(tenant, new CreateSandboxRequest
            {
                Name = "mcp-" + Guid.NewGuid().ToString("N")[..12],
                Image = isImage ? source : null,
                Template = isImage ? null : source,
                Command = Idle,
                Network = request.Network is { } mode ? new SandboxNetworkRequest(mode, []) : null,
            }, ct);
            target.Add($"id={created.Id}");
            return await DescribeAsync(created, ct);
        });

    public Task<IReadOnlyList<McpSandbox>> ListAsync(CancellationToken ct) =>
        ActAsync<IReadOnlyList<McpSandbox>>(SandboxToolset.ListSandboxes, Role.Viewer, null, async (tenant, _) =>
        {
            var found = new List<McpSandbox>();
            string? after = null;
            do
            {
                var page = await store.ListAsync(tenant, after, Sandboxes.SandboxEndpoints.MaxPageSize, null, [], ct);
                foreach (var sandbox in page.Items)
                {
                    found.Add(await DescribeAsync(sandbox, ct));
                }

                after = page.NextAfter;
            }
            while (after is not null);
            return found;
        });

    public Task<CommandOutcome> RunAsync(string sandbox, CommandRequest request, CancellationToken ct) =>
        ActAsync(SandboxToolset.RunCommand, Role.Operator, sandbox, async (tenant, _) =>
        {
            var body = new ExecRequest
            {
                Command = request.Command,
                WorkingDirectory = request.WorkingDirectory,
                Stdin = request.Stdin is { } stdin ? Encoding.UTF8.GetString(stdin.Span) : null,
                TimeoutSeconds = (int)Math.Ceiling(request.Timeout.TotalSeconds),
            };
            var (options, timeLimit) = SandboxExec.Validate(body, SandboxToolset.RunCommand);
            await using var running = await exec.StartAsync(tenant, sandbox, options, timeLimit, ct);
            var feeding = SandboxExec.FeedAsync(running, body.Stdin, ct);
            var stdout = new CappedBuffer(SandboxToolLimits.MaxOutputBytes);
            var stderr = new CappedBuffer(SandboxToolLimits.MaxOutputBytes);
            long stdoutBytes = 0, stderrBytes = 0;
            await foreach (var chunk in running.Output.ReadAllAsync(ct))
            {
                if (chunk.Kind == OutputKind.Stderr)
                {
                    stderr.Append(chunk.Data.Span);
                    stderrBytes += chunk.Data.Length;
                }
                else
                {
                    stdout.Append(chunk.Data.Span);
                    stdoutBytes += chunk.Data.Length;
                }
            }

            await feeding;

            // Killed at its time limit, a command has no exit code of its own: -1, with timedOut saying why.
            var exitCode = running.TimedOut ? -1 : await running.GetExitCodeAsync(ct);
            return new CommandOutcome(exitCode, stdout.Seal(), stderr.Seal(), running.TimedOut, stdout.Truncated, stderr.Truncated, stdoutBytes, stderrBytes);
        });

    public Task<byte[]> ReadFileAsync(string sandbox, string path, CancellationToken ct) =>
        ActAsync(SandboxToolset.ReadFile, Role.Viewer, sandbox, async (tenant, _) =>
        {
            var checkedPath = Sandboxes.Files.SandboxPath.Require("path", path);
            using var handle = await files.OpenAsync(tenant, sandbox, ct);
            return await files.ReadAsync(handle, checkedPath, "path", SandboxToolLimits.MaxReadBytes, size => new SandboxToolException(
                $"path: {path} has {size} bytes, more than the {SandboxToolLimits.Describe(SandboxToolLimits.MaxReadBytes)} read_file returns; " +
                $"read a part of it with run_command, e.g. [\"head\", \"-c\", \"100000\", \"{path}\"]"), ct);
        });

    public Task WriteFileAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        ActAsync(SandboxToolset.WriteFile, Role.Operator, sandbox, async (tenant, target) =>
        {
            var checkedPath = Sandboxes.Files.SandboxPath.Require("path", path);
            target.Add($"path={Names.Shorten(checkedPath)}");
            using var handle = await files.OpenAsync(tenant, sandbox, ct);
            await files.MakeDirectoryAsync(handle, Sandboxes.Files.SandboxPath.Parent(checkedPath), parents: true, ct);
            using var body = new MemoryStream(content.ToArray(), writable: false);
            await files.UploadAsync(handle, checkedPath, 0x1A4, body, body.Length, ct); // 0644, as an upload without a mode
            return true;
        });

    public Task<SandboxFileListing> ListFilesAsync(string sandbox, string path, CancellationToken ct) =>
        ActAsync(SandboxToolset.ListFiles, Role.Viewer, sandbox, async (tenant, _) =>
        {
            var checkedPath = Sandboxes.Files.SandboxPath.Require("path", path);
            using var handle = await files.OpenAsync(tenant, sandbox, ct);
            var (_, stat) = await files.ResolveAsync(handle, checkedPath, "path", ct);
            if (stat.Kind != Airlock.Sandboxes.Runtime.SandboxPathKind.Directory)
            {
                var self = Sandboxes.Files.SandboxFileEntry.From(checkedPath, stat);
                return new SandboxFileListing(checkedPath, [new(self.Name, checkedPath, self.Kind, self.Size)], Truncated: false);
            }

            var listed = await files.ListAsync(handle, checkedPath, ct);
            var entries = listed.Entries.Take(SandboxToolLimits.MaxListEntries).Select(e => new Airlock.Sandboxes.Mcp.SandboxFileEntry(e.Name, e.Path, e.Kind, e.Size)).ToList();
            return new SandboxFileListing(listed.Path, entries, listed.Entries.Count > SandboxToolLimits.MaxListEntries);
        });

    public Task<IReadOnlyList<string>> DeleteAsync(string sandbox, CancellationToken ct) =>
        ActAsync<IReadOnlyList<string>>(SandboxToolset.DeleteSandbox, Role.Operator, sandbox, async (tenant, _) =>
        {
            await sandboxes.DeleteAsync(tenant, sandbox, ct);
            return []; // no project on the server: nothing is left on any host for the agent to pass on
        });

    /// <summary>A sandbox as the tools show it; its working directory is the one its container was made with.</summary>
    private async Task<McpSandbox> DescribeAsync(SandboxRecord sandbox, CancellationToken ct)
    {
        var view = SandboxView.From(sandbox);
        var directory = "/";
        if (sandbox.ContainerId is { } container)
        {
            try
            {
                var runtime = await nodes.GetAsync(sandbox.Node, ct);
                if (await runtime.TryInspectAsync(container, ct) is { WorkingDirectory: { Length: > 0 } dir })
                {
                    directory = dir;
                }
            }
            catch (Airlock.Engine.Errors.EngineException)
            {
                // Only the directory is missing from the answer; the sandbox itself is as the store says.
            }
        }

        return new McpSandbox(sandbox.Id, view.Template ?? view.Image, view.Image, directory, view.Network.Mode ?? SandboxNetworkRequest.None, view.Isolation, sandbox.State == SandboxState.Running);
    }

    /// <summary>
    /// Runs one tool's work in the caller's tenant once its role is at least <paramref name="least"/>. Whatever the REST
    /// route would answer with a problem becomes the tool's error with the same detail; a change (or its refusal) is
    /// appended to the audit log as the REST route's would be, with the tool's name as the action.
    /// </summary>
    private async Task<T> ActAsync<T>(string tool, Role least, string? sandbox, Func<string, List<string>, Task<T>> work)
    {
        var changes = tool is not (SandboxToolset.ListSandboxes or SandboxToolset.ReadFile or SandboxToolset.ListFiles);
        var target = new List<string>();
        if (sandbox is not null)
        {
            target.Add($"id={Names.Shorten(sandbox)}");
        }

        try
        {
            var tenant = caller.RequireTenant(least);
            var result = await work(tenant, target);
            if (changes)
            {
                await AppendAsync(tool, target, 200);
            }

            return result;
        }
        catch (OperationCanceledException) when (changes)
        {
            // The client left (or the server is stopping) with the change under way: recorded as nginx's 499, as what
            // ran may have changed the sandbox.
            await AppendAsync(tool, target, ClientClosedRequest);
            throw;
        }
        catch (SandboxToolException)
        {
            if (changes)
            {
                await AppendAsync(tool, target, 400);
            }

            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var problem = ErrorMiddleware.Map(ex);
            if (problem.Status >= 500)
            {
                LogToolFailed(logger, tool, caller.TenantId, ex);
            }

            if (changes)
            {
                await AppendAsync(tool, target, problem.Status);
            }

            throw new SandboxToolException(problem.Message.StartsWith(tool, StringComparison.Ordinal) ? problem.Message : $"{tool}: {problem.Message}");
        }
    }

    private async Task AppendAsync(string tool, List<string> target, int status)
    {
        var record = new AuditRecord(
            time.GetUtcNow(), caller.KeyId, caller.TenantId, McpEndpoint.AuditAction(tool), target.Count == 0 ? null : AuditTarget.Cap(string.Join(",", target)),
            status < 400 ? "ok" : "refused", status);
        try
        {
            await audit.AppendAsync(record, CancellationToken.None);
            metrics.AuditAppended();
        }
        catch (Exception ex)
        {
            // As for REST: the answer is given; a lost entry is logged loudly rather than turned into a failed call.
            LogAuditFailed(logger, record.Action, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "MCP tool {Tool} of tenant {Tenant} failed")]
    private static partial void LogToolFailed(ILogger logger, string tool, string? tenant, Exception ex);

    [LoggerMessage(Level = LogLevel.Critical, Message = "could not append the audit entry for {Action}")]
    private static partial void LogAuditFailed(ILogger logger, string action, Exception ex);
}
