using Airlock.Sandboxes.Validation;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Airlock.Server.Sandboxes;

/// <summary>/v1/sandboxes: always the caller's own tenant's sandboxes.</summary>
public static class SandboxEndpoints
{
    public const int MaxPageSize = 200;
    public const int MaxBulk = 50;

    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/sandboxes").WithTags("sandboxes");
        group.MapPost("", CreateAsync).WithName("CreateSandbox").Accepts<CreateSandboxRequest>("application/json", "*/*").Produces<SandboxView>(201).WithSummary("Create and start a sandbox");
        group.MapGet("", ListAsync).WithName("ListSandboxes").Produces<SandboxList>().WithSummary("List sandboxes (paged; filters: state, label=key=value)");
        group.MapPost("/bulk-create", BulkCreateAsync).WithName("BulkCreateSandboxes").Accepts<BulkCreateRequest>("application/json", "*/*").Produces<BulkResult>().WithSummary("Create up to 50 sandboxes");
        group.MapPost("/bulk-delete", BulkDeleteAsync).WithName("BulkDeleteSandboxes").Accepts<BulkDeleteRequest>("application/json", "*/*").Produces<BulkResult>().WithSummary("Delete up to 50 sandboxes");
        group.MapGet("/{id}", GetAsync).WithName("GetSandbox").Produces<SandboxView>().WithSummary("Get a sandbox (a running one is checked with the engine: exited, with its exit code, when its process ended)");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteSandbox").Produces(204).WithSummary("Delete a sandbox and its container");
        group.MapPost("/{id}/start", StartAsync).WithName("StartSandbox").Produces<SandboxView>().WithSummary("Start a stopped sandbox");
        group.MapPost("/{id}/stop", StopAsync).WithName("StopSandbox").Produces<SandboxView>().WithSummary("Stop a running sandbox");
        group.MapPost("/{id}/pause", PauseAsync).WithName("PauseSandbox").Produces<SandboxView>().WithSummary("Freeze a running sandbox (its memory kept, nothing running, its quota held)");
        group.MapPost("/{id}/resume", ResumeAsync).WithName("ResumeSandbox").Produces<SandboxView>().WithSummary("Thaw a paused sandbox where it was");
        group.MapPost("/{id}/timeout", TimeoutAsync).WithName("SetSandboxTimeout").Accepts<SandboxTimeoutRequest>("application/json", "*/*").Produces<SandboxView>()
            .WithSummary("End the sandbox timeoutSeconds from now (as its onTimeout says; stop when it had no lifetime)");
        group.MapGet("/{id}/logs", LogsAsync).WithName("GetSandboxLogs").Produces<string>(200, "text/plain").WithSummary("The sandbox's output; follow=true streams until it stops");
        group.MapPost("/{id}/exec", ExecAsync).WithName("ExecInSandbox").Accepts<ExecRequest>("application/json", "*/*").Produces<ExecResponse>().WithSummary("Run a command to completion in the sandbox (killed at its time limit or when the client leaves)");
        group.MapPost("/{id}/exec/stream", ExecStreamAsync).WithName("StreamExecInSandbox").Accepts<ExecRequest>("application/json", "*/*").Produces<ExecEvent>(200, SandboxExecStream.ContentType)
            .WithSummary("Run a command, its stdout and stderr streamed as they come (one JSON object a line), ending with its exit code");
        group.MapGet("/{id}/terminal", TerminalAsync).WithName("OpenSandboxTerminal").Produces(101).WithSummary("An interactive command over a WebSocket (a pseudo-terminal by default), with resize and its exit code");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxService sandboxes)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<CreateSandboxRequest>(context.Request);
        var created = await sandboxes.CreateAsync(tenant, request, context.RequestAborted);
        AuditCreated(context, created.Id, request);
        return TypedResults.Created($"/v1/sandboxes/{created.Id}", SandboxView.From(created));
    }

    /// <summary>The audit entry of a create names the sandbox made and, when it has any, the secrets it was given (names only).</summary>
    private static void AuditCreated(HttpContext context, string id, CreateSandboxRequest request)
    {
        lock (context.Items)
        {
            Audit.AuditTarget.Add(context, request.Secrets is { Count: > 0 } names ? $"id={id} secrets={string.Join("+", names.Select(n => Names.Shorten(n ?? "")))}" : $"id={id}");
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, SandboxStore store, int? limit, string? pageToken, string? state, string[]? label)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        var errors = new ValidationErrors();
        if (limit is < 1 or > MaxPageSize)
        {
            errors.Add("query.limit", $"{limit} is not between 1 and {MaxPageSize}");
        }

        if (state is not null && !SandboxState.All.Contains(state))
        {
            errors.Add("query.state", $"'{Names.Shorten(state)}' is not one of {string.Join(", ", SandboxState.All)}");
        }

        var labels = new List<KeyValuePair<string, string>>();
        foreach (var filter in label ?? [])
        {
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                errors.Add("query.label", $"'{Names.Shorten(filter)}' is not key=value");
                continue;
            }

            labels.Add(new(filter[..eq], filter[(eq + 1)..]));
        }

        if (labels.Count > 8)
        {
            errors.Add("query.label", "at most 8 label filters");
        }

        errors.ThrowIfAny("the query");
        var after = pageToken is null ? null : PageToken.Decode(pageToken);
        var page = await store.ListAsync(tenant, after, limit ?? 50, state, labels, context.RequestAborted);
        return TypedResults.Ok(new SandboxList(page.Items.Select(SandboxView.From).ToList(), page.NextAfter is { } next ? PageToken.Encode(next) : null));
    }

    private static async Task<IResult> GetAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        return TypedResults.Ok(SandboxView.From(await sandboxes.ObserveAsync(tenant, id, context.RequestAborted)));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        await sandboxes.DeleteAsync(tenant, id, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> StartAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        return TypedResults.Ok(SandboxView.From(await sandboxes.StartAsync(tenant, id, context.RequestAborted)));
    }

    private static async Task<IResult> StopAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        return TypedResults.Ok(SandboxView.From(await sandboxes.StopAsync(tenant, id, context.RequestAborted)));
    }

    private static async Task<IResult> PauseAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        return TypedResults.Ok(SandboxView.From(await sandboxes.PauseAsync(tenant, id, context.RequestAborted)));
    }

    private static async Task<IResult> ResumeAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        return TypedResults.Ok(SandboxView.From(await sandboxes.ResumeAsync(tenant, id, context.RequestAborted)));
    }

    private static async Task<IResult> TimeoutAsync(HttpContext context, SandboxService sandboxes, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<SandboxTimeoutRequest>(context.Request);
        return TypedResults.Ok(SandboxView.From(await sandboxes.SetTimeoutAsync(tenant, id, request.TimeoutSeconds, context.RequestAborted)));
    }

    private static async Task<IResult> ExecAsync(HttpContext context, SandboxExec exec, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<ExecRequest>(context.Request);
        return TypedResults.Ok(await exec.RunAsync(tenant, id, request, context.RequestAborted));
    }

    private static async Task ExecStreamAsync(HttpContext context, SandboxExec exec, IHostApplicationLifetime lifetime, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<ExecRequest>(context.Request);
        await SandboxExecStream.WriteAsync(context, exec, lifetime, tenant, id, request);
    }

    private static async Task TerminalAsync(HttpContext context, SandboxExec exec, SandboxService sandboxes, IHostApplicationLifetime lifetime, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        await SandboxTerminal.RunAsync(context, exec, sandboxes, lifetime, tenant, id);
    }

    /// <summary>Plain text, stdout and stderr interleaved as they came; with follow, flushed chunk by chunk until the sandbox stops or the client leaves.</summary>
    private static async Task LogsAsync(HttpContext context, SandboxService sandboxes, IHostApplicationLifetime lifetime, string id, bool? follow, long? tail)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        if (tail is < 0 or > ServerLimits.MaxLogTail)
        {
            throw ApiException.Invalid("the query", [new Airlock.Sandboxes.Validation.ValidationError(
                "query.tail", $"{tail} is not a line count from 0 to {ServerLimits.MaxLogTail}; ask for at most the last {ServerLimits.MaxLogTail} lines, or leave tail out for the whole log")]);
        }

        // A followed log ends when the server stops, so a stop never waits for a client that never hangs up.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stream.Token;

        // Opened before the answer starts, so a missing sandbox is still a 404 problem.
        var chunks = sandboxes.LogsAsync(tenant, id, follow ?? false, (int?)tail, ct).GetAsyncEnumerator(ct);
        await using (chunks)
        {
            var has = await chunks.MoveNextAsync();
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.StartAsync(ct);
            try
            {
                while (has)
                {
                    await context.Response.Body.WriteAsync(chunks.Current.Data, ct);
                    await context.Response.Body.FlushAsync(ct);
                    has = await chunks.MoveNextAsync();
                }
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // The server is stopping: end the stream; the client sees it close and can follow again elsewhere.
            }
        }
    }

    private static async Task<IResult> BulkCreateAsync(HttpContext context, SandboxService sandboxes)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<BulkCreateRequest>(context.Request);
        if (request.Sandboxes is not { Count: > 0 and <= MaxBulk } items)
        {
            throw ApiException.BadRequest($"sandboxes must list 1 to {MaxBulk} sandboxes");
        }

        var results = await RunBulkAsync(items, async (item, index) =>
        {
            var created = await sandboxes.CreateAsync(tenant, item, CancellationToken.None);
            AuditCreated(context, created.Id, item);
            return new BulkItemResult(index, 201, created.Id, SandboxView.From(created), null);
        });
        return TypedResults.Ok(results);
    }

    private static async Task<IResult> BulkDeleteAsync(HttpContext context, SandboxService sandboxes)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<BulkDeleteRequest>(context.Request);
        if (request.Ids is not { Count: > 0 and <= MaxBulk } ids)
        {
            throw ApiException.BadRequest($"ids must list 1 to {MaxBulk} sandbox ids");
        }

        var results = await RunBulkAsync(ids, async (id, index) =>
        {
            await sandboxes.DeleteAsync(tenant, id, CancellationToken.None);
            return new BulkItemResult(index, 204, id, null, null);
        });
        return TypedResults.Ok(results);
    }

    /// <summary>Items run a few at a time; each succeeds or fails on its own, reported with the status it would have had alone.</summary>
    private static async Task<BulkResult> RunBulkAsync<T>(IReadOnlyList<T> items, Func<T, int, Task<BulkItemResult>> run)
    {
        var results = new BulkItemResult[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (index, _) =>
        {
            try
            {
                results[index] = await run(items[index], index);
            }
            catch (Exception ex)
            {
                var problem = ErrorMiddleware.Map(ex);
                results[index] = new BulkItemResult(index, problem.Status, items[index] as string, null, problem.Message);
            }
        });
        var ok = results.Count(r => r.Status < 300);
        return new BulkResult(results, ok, results.Length - ok);
    }

}
