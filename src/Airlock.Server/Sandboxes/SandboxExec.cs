using System.Runtime.ExceptionServices;
using System.Text;
using Airlock.Engine.Exec;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// <c>POST /v1/sandboxes/{id}/exec</c>: a command run to completion in a running sandbox, within a time limit, while
/// the tenant has fewer than <see cref="ServerLimits.MaxExecsPerTenant"/> running. The Engine API has no way to stop an
/// exec, so a command that outlives its time limit (or whose client leaves) runs on in the sandbox: the answer is given
/// without it, and a task of the server drains and drops its output until it ends (so it never blocks on a full pipe),
/// keeping the tenant's exec slot until then. Stopping or deleting the sandbox ends such commands.
/// </summary>
public sealed partial class SandboxExec(SandboxService sandboxes, IEngineNodes nodes, IHostApplicationLifetime lifetime, ILogger<SandboxExec> logger, TimeProvider time)
{
    private readonly TenantSlots _slots = new(
        ServerLimits.MaxExecsPerTenant,
        "execs",
        "wait for one to end and retry (an exec past its time limit, or whose client left, ends with its process; stopping the sandbox ends them all)");

    public async Task<ExecResponse> RunAsync(string tenantId, string id, ExecRequest request, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(Validate(request));
        var sandbox = await sandboxes.GetAsync(tenantId, id, ct);
        var containerId = SandboxService.RequireContainer(sandbox, SandboxState.Running);
        var slot = _slots.Enter(tenantId);
        SandboxExecution execution;
        try
        {
            var runtime = await nodes.GetAsync(sandbox.Node, ct);
            execution = await runtime.ExecAsync(containerId, new ExecOptions
            {
                Command = request.Command!,
                Environment = request.Env ?? new Dictionary<string, string>(),
                WorkingDirectory = request.WorkingDirectory,
                AttachStdin = request.Stdin is not null,
            }, ct);
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        // From here the command runs in the engine: the pump owns the stream and the slot until its output ends.
        var stdout = new CappedBuffer(ServerLimits.ExecOutputBytes);
        var stderr = new CappedBuffer(ServerLimits.ExecOutputBytes);
        var pump = PumpAsync(execution.Stream, slot, request.Stdin, stdout, stderr, execution.Id);
        var first = await Task.WhenAny(pump, Task.Delay(timeout, time, ct));
        if (first != pump)
        {
            ct.ThrowIfCancellationRequested();
            LogTimedOut(logger, execution.Id, id, (int)timeout.TotalSeconds);
            return new ExecResponse(null, stdout.Seal(), stderr.Seal(), stdout.Truncated || stderr.Truncated, TimedOut: true);
        }

        if (await pump is { } failure)
        {
            failure.Throw();
        }

        var exitCode = await execution.GetExitCodeAsync(ct);
        return new ExecResponse(exitCode, stdout.Seal(), stderr.Seal(), stdout.Truncated || stderr.Truncated, TimedOut: false);
    }

    /// <summary>The request's time limit in seconds, once every field is within its bound.</summary>
    private static int Validate(ExecRequest request)
    {
        var errors = new ValidationErrors();
        RequestBounds.CheckCommand(errors, "exec.command", request.Command, required: true, "[\"sh\", \"-c\", \"echo hi\"]");
        if (request.WorkingDirectory is { } dir && !Paths.IsSafeAbsolute(dir))
        {
            errors.Add("exec.workingDirectory", $"'{Names.Shorten(dir)}' is not an absolute path without '..'");
        }

        RequestBounds.CheckEnvironment(errors, "exec.env", request.Env, checkNames: true);
        if (request.Stdin is { Length: > ServerLimits.MaxExecStdinChars } stdin)
        {
            errors.Add("exec.stdin", $"has {stdin.Length} characters; at most {ServerLimits.MaxExecStdinChars} (write bigger input into the sandbox another way, e.g. in parts)");
        }

        if (request.TimeoutSeconds is < 1 or > ServerLimits.MaxExecTimeoutSeconds)
        {
            errors.Add("exec.timeoutSeconds", $"{request.TimeoutSeconds} is not between 1 and {ServerLimits.MaxExecTimeoutSeconds}");
        }

        errors.ThrowIfAny("exec");
        return request.TimeoutSeconds ?? ServerLimits.DefaultExecTimeoutSeconds;
    }

    /// <summary>
    /// Feeds stdin and reads the output to its end (or until the server stops), then lets go of the stream and the slot.
    /// Never throws: a failure is handed back for the request to report, if it still waits.
    /// </summary>
    private async Task<ExceptionDispatchInfo?> PumpAsync(ProcessStream stream, IDisposable slot, string? stdin, CappedBuffer stdout, CappedBuffer stderr, string execId)
    {
        var ct = lifetime.ApplicationStopping;
        try
        {
            await using (stream)
            {
                var feeding = stdin is null ? Task.CompletedTask : FeedAsync(stream, Encoding.UTF8.GetBytes(stdin), ct);
                await foreach (var chunk in stream.ReadOutputAsync(ct))
                {
                    (chunk.Kind == OutputKind.Stderr ? stderr : stdout).Append(chunk.Data.Span);
                }

                await feeding;
            }

            return null;
        }
        catch (Exception ex)
        {
            LogPumpEnded(logger, execId, ex.Message);
            return ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            slot.Dispose();
        }
    }

    /// <summary>Writes stdin while the output is read, so a command that writes before it reads never deadlocks with the server.</summary>
    private static async Task FeedAsync(ProcessStream stream, byte[] input, CancellationToken ct)
    {
        try
        {
            await stream.WriteStdinAsync(input, ct);
            stream.CloseStdin();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The command ended without reading all of it; its output says what it did.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "exec {ExecId} in sandbox {Sandbox} passed its {Seconds} s limit; answered without it, its output is drained until it ends")]
    private static partial void LogTimedOut(ILogger logger, string execId, string sandbox, int seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "exec {ExecId}'s output stream ended with an error: {Reason}")]
    private static partial void LogPumpEnded(ILogger logger, string execId, string reason);
}
