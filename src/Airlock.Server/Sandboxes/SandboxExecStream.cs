using System.Text.Json;
using Airlock.Engine.Streams;
using Airlock.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// <c>POST /v1/sandboxes/{id}/exec/stream</c>: the command's stdout and stderr as they come, one JSON object a line
/// (<see cref="ExecEvent"/>), flushed at once, ending with its exit code. The command is killed when the client hangs up,
/// when its time limit passes (the last line then says <c>timedOut</c>) or when the server stops.
/// </summary>
public static class SandboxExecStream
{
    public const string ContentType = "application/x-ndjson";

    public static async Task WriteAsync(HttpContext context, SandboxExec execs, IHostApplicationLifetime lifetime, string tenant, string id, ExecRequest request)
    {
        var (options, timeLimit) = SandboxExec.Validate(request);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = linked.Token;

        // Started before the answer, so a missing or stopped sandbox, or a full exec quota, is still a problem answer.
        await using var exec = await execs.StartAsync(tenant, id, options, timeLimit, ct);
        var feeding = SandboxExec.FeedAsync(exec, request.Stdin, ct);
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.StartAsync(ct);
        var text = new OutputText();
        ExecEvent last;
        try
        {
            await foreach (var chunk in exec.Output.ReadAllAsync(ct))
            {
                await WriteLineAsync(context, new ExecEvent(chunk.Kind == OutputKind.Stderr ? ExecEvent.Stderr : ExecEvent.Stdout, text.Decode(chunk)), ct);
            }

            await feeding;
            last = ExecEvent.Ended(exec, exec.TimedOut ? null : await exec.GetExitCodeAsync(ct));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The answer has begun, so a failure can only be told in the stream itself.
            last = ExecEvent.From(ErrorMiddleware.Map(ex));
        }

        await WriteLineAsync(context, last, ct);
    }

    private static async Task WriteLineAsync(HttpContext context, ExecEvent line, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(line, ServerJsonContext.Default.ExecEvent);
        var bytes = new byte[json.Length + 1];
        json.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        await context.Response.Body.WriteAsync(bytes, ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
