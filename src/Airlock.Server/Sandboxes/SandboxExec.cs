using System.Text;
using Airlock.Engine.Exec;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Commands in a running sandbox (<c>POST /v1/sandboxes/{id}/exec</c>, its streaming form and the terminal), while the
/// tenant has fewer than <see cref="ServerLimits.MaxExecsPerTenant"/> under way on this server. A command whose time limit
/// passes, or whose client leaves, is killed (see <see cref="RunningExec"/>); one that dodges the kill keeps its tenant's
/// slot until its output ends. Stopping or deleting the sandbox ends every command in it.
/// </summary>
public sealed class SandboxExec(SandboxService sandboxes, IEngineNodes nodes, IHostApplicationLifetime lifetime, ILogger<SandboxExec> logger, TimeProvider time)
{
    private readonly TenantSlots _slots = new(
        ServerLimits.MaxExecsPerTenant,
        "execs",
        "wait for one to end and retry (a command past its time limit, or whose client left, is killed; one that outlives its kill holds its place until its output ends; stopping the sandbox ends them all)");

    /// <summary>Runs the command to its end (or its time limit) and answers with its output, 1 MiB of each stream kept.</summary>
    public async Task<ExecResponse> RunAsync(string tenantId, string id, ExecRequest request, CancellationToken ct)
    {
        var (options, timeLimit) = Validate(request);
        await using var exec = await StartAsync(tenantId, id, options, timeLimit, ct);
        var feeding = FeedAsync(exec, request.Stdin, ct);
        var stdout = new CappedBuffer(ServerLimits.ExecOutputBytes);
        var stderr = new CappedBuffer(ServerLimits.ExecOutputBytes);
        await foreach (var chunk in exec.Output.ReadAllAsync(ct))
        {
            (chunk.Kind == OutputKind.Stderr ? stderr : stdout).Append(chunk.Data.Span);
        }

        await feeding;
        var exitCode = exec.TimedOut ? (int?)null : await exec.GetExitCodeAsync(ct);
        return new ExecResponse(exitCode, stdout.Seal(), stderr.Seal(), stdout.Truncated || stderr.Truncated, exec.TimedOut);
    }

    /// <summary>
    /// Starts a command in the tenant's running sandbox, holding one of the tenant's exec slots until its output ends.
    /// The caller disposes the result when it no longer waits for the command, which kills it if it still runs.
    /// </summary>
    public async Task<RunningExec> StartAsync(string tenantId, string id, ExecOptions options, TimeSpan? timeLimit, CancellationToken ct)
    {
        var sandbox = await sandboxes.GetAsync(tenantId, id, ct);
        var containerId = SandboxService.RequireContainer(sandbox, SandboxState.Running);
        var slot = _slots.Enter(tenantId);
        await sandboxes.TouchAsync(sandbox, ct);
        try
        {
            var runtime = await nodes.GetAsync(sandbox.Node, ct);
            var execution = await runtime.ExecAsync(containerId, options, ct);
            return new RunningExec(execution, slot, timeLimit, time, logger, lifetime.ApplicationStopping);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    /// <summary>The engine's options and the time limit of <paramref name="request"/>, once every field is within its bound.</summary>
    public static (ExecOptions Options, TimeSpan TimeLimit) Validate(ExecRequest request, string path = "exec")
    {
        var errors = new ValidationErrors();
        RequestBounds.CheckCommand(errors, $"{path}.command", request.Command, required: true, "[\"sh\", \"-c\", \"echo hi\"]");
        if (request.WorkingDirectory is { } dir && !Paths.IsSafeAbsolute(dir))
        {
            errors.Add($"{path}.workingDirectory", $"'{Names.Shorten(dir)}' is not an absolute path without '..'");
        }

        RequestBounds.CheckEnvironment(errors, $"{path}.env", request.Env, checkNames: true);
        if (request.Stdin is { Length: > ServerLimits.MaxExecStdinChars } stdin)
        {
            errors.Add($"{path}.stdin", $"has {stdin.Length} characters; at most {ServerLimits.MaxExecStdinChars} (write bigger input into the sandbox another way, e.g. in parts)");
        }

        if (request.TimeoutSeconds is < 1 or > ServerLimits.MaxExecTimeoutSeconds)
        {
            errors.Add($"{path}.timeoutSeconds", $"{request.TimeoutSeconds} is not between 1 and {ServerLimits.MaxExecTimeoutSeconds}");
        }

        errors.ThrowIfAny(path);
        var options = new ExecOptions
        {
            Command = request.Command!,
            Environment = request.Env ?? new Dictionary<string, string>(),
            WorkingDirectory = request.WorkingDirectory,
            AttachStdin = request.Stdin is not null,
        };
        return (options, TimeSpan.FromSeconds(request.TimeoutSeconds ?? ServerLimits.DefaultExecTimeoutSeconds));
    }

    /// <summary>Writes stdin while the output is read, so a command that writes before it reads never deadlocks with the server.</summary>
    public static async Task FeedAsync(RunningExec exec, string? stdin, CancellationToken ct)
    {
        if (stdin is null)
        {
            return;
        }

        try
        {
            await exec.WriteStdinAsync(Encoding.UTF8.GetBytes(stdin), ct);
            exec.CloseStdin();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The command ended (or was given up) without reading all of it; its output says what it did.
        }
    }
}
