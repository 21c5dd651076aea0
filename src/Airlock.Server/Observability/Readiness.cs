using Airlock.Sandboxes.Runtime;
using Airlock.Server.Nodes;
using Airlock.Server.Reconciliation;
using Airlock.Server.Store;
using Dapper;

namespace Airlock.Server.Observability;

/// <summary>
/// Whether the database and every engine node answer, checked at most once per <see cref="MaxAge"/> however many ask:
/// <c>/readyz</c> is open to anyone who can reach the port, and each check costs a database query and an engine call
/// per node, so the cost of probing is bounded by time rather than by the prober. Concurrent askers share one check.
/// </summary>
public sealed class Readiness(Database database, IEngineNodes nodes, Reconciler reconciler, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private (HealthEndpoints.ReadyView View, DateTimeOffset At)? _last;

    public async Task<HealthEndpoints.ReadyView> GetAsync(CancellationToken ct)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _checking.WaitAsync(ct);
        try
        {
            if (Fresh() is { } checkedMeanwhile)
            {
                return checkedMeanwhile;
            }

            var (dbOk, dbError) = await CheckDatabaseAsync(database, ct);
            var (engineOk, engineError) = await CheckEngineAsync(nodes, ct);
            var ready = dbOk && engineOk && reconciler.HasCompletedPass;
            var view = new HealthEndpoints.ReadyView(ready ? "ready" : "not ready", dbOk ? "ok" : "down", engineOk ? "ok" : "down", dbError, engineError, reconciler.HasCompletedPass);
            _last = (view, time.GetUtcNow());
            return view;
        }
        finally
        {
            _checking.Release();
        }
    }

    private HealthEndpoints.ReadyView? Fresh() =>
        _last is { } last && time.GetUtcNow() - last.At is var age && age >= TimeSpan.Zero && age < MaxAge ? last.View : null;

    public static async Task<(bool Ok, string? Error)> CheckDatabaseAsync(Database database, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteScalarAsync<long>("SELECT 1");
            return (true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (false, ex.Message);
        }
    }

    public static async Task<(bool Ok, string? Error)> CheckEngineAsync(IEngineNodes nodes, CancellationToken ct)
    {
        try
        {
            // An owner nothing has: the engine answers an empty list, about the cheapest call that needs it to work.
            var nobody = new SandboxOwner { Role = "readyz-probe" };
            foreach (var node in nodes.Names)
            {
                var runtime = await nodes.GetAsync(node, ct);
                _ = await runtime.ListAsync(nobody, runningOnly: true, ct);
            }

            return (true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (false, ex.Message);
        }
    }
}
