using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Airlock.Server.Observability;

/// <summary>
/// The server's Prometheus metrics, kept as plain counters and written in the text exposition format (0.0.4) by hand.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Method, string Route, int Status), long> _requests = new();
    private readonly long[] _durationBuckets = new long[Buckets.Length];
    private long _durationCount;
    private long _durationMicros;
    private long _created;
    private long _createFailed;
    private long _deleted;
    private long _rateLimited;
    private long _auditEntries;
    private long _auditSampledOut;
    private long _reconcilePasses;
    private long _reconcileChanges;
    private readonly ConcurrentDictionary<(string Tenant, string Verdict), long> _egress = new();
    private long _egressDropped;

    public void Request(string method, string route, int status, TimeSpan duration)
    {
        _requests.AddOrUpdate((method, route, status), 1, (_, n) => n + 1);
        var seconds = duration.TotalSeconds;
        for (var i = 0; i < Buckets.Length; i++)
        {
            if (seconds <= Buckets[i])
            {
                Interlocked.Increment(ref _durationBuckets[i]);
            }
        }

        Interlocked.Increment(ref _durationCount);
        Interlocked.Add(ref _durationMicros, (long)(seconds * 1_000_000));
    }

    public void SandboxCreated() => Interlocked.Increment(ref _created);

    public void SandboxCreateFailed() => Interlocked.Increment(ref _createFailed);

    public void SandboxDeleted() => Interlocked.Increment(ref _deleted);

    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    public void AuditAppended() => Interlocked.Increment(ref _auditEntries);

    /// <summary>A refusal without a valid credential, or a rate-limit refusal, not written to the audit log (one a minute per source is).</summary>
    public void AuditSampledOut() => Interlocked.Increment(ref _auditSampledOut);

    /// <summary>A reconciler pass (or single-sandbox check) ran and changed <paramref name="changes"/> rows, containers or images.</summary>
    public void Reconciled(int changes)
    {
        Interlocked.Increment(ref _reconcilePasses);
        Interlocked.Add(ref _reconcileChanges, changes);
    }

    /// <summary>A connection through the egress proxy of one of <paramref name="tenant"/>'s sandboxes, let through or refused.</summary>
    public void EgressConnection(string tenant, bool allowed) =>
        _egress.AddOrUpdate((tenant, allowed ? "allowed" : "refused"), 1, (_, n) => n + 1);

    /// <summary>Egress records not written (the backlog was full, or the database failed).</summary>
    public void EgressRecordsDropped(int count) => Interlocked.Add(ref _egressDropped, count);

    /// <summary>The exposition text; <paramref name="sandboxesByState"/> is read from the store at scrape time.</summary>
    public string Render(IReadOnlyDictionary<string, long> sandboxesByState, bool databaseUp, bool engineUp)
    {
        var text = new StringBuilder();
        Header(text, "airlock_http_requests_total", "counter", "HTTP requests served, by method, route template and status.");
        foreach (var ((method, route, status), requests) in _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            text.Append(CultureInfo.InvariantCulture, $"airlock_http_requests_total{{method=\"{Escape(method)}\",route=\"{Escape(route)}\",status=\"{status}\"}} {requests}\n");
        }

        Header(text, "airlock_http_request_duration_seconds", "histogram", "Time to answer a request.");
        for (var i = 0; i < Buckets.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"airlock_http_request_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {Interlocked.Read(ref _durationBuckets[i])}\n");
        }

        var count = Interlocked.Read(ref _durationCount);
        text.Append(CultureInfo.InvariantCulture, $"airlock_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n");
        text.Append(CultureInfo.InvariantCulture, $"airlock_http_request_duration_seconds_sum {Interlocked.Read(ref _durationMicros) / 1_000_000.0}\n");
        text.Append(CultureInfo.InvariantCulture, $"airlock_http_request_duration_seconds_count {count}\n");

        Counter(text, "airlock_sandboxes_created_total", "Sandboxes created and started.", _created);
        Counter(text, "airlock_sandbox_create_failures_total", "Creates that failed and were rolled back.", _createFailed);
        Counter(text, "airlock_sandboxes_deleted_total", "Sandboxes deleted.", _deleted);
        Counter(text, "airlock_rate_limited_total", "Requests refused with 429.", _rateLimited);
        Counter(text, "airlock_audit_entries_total", "Audit entries appended by this server.", _auditEntries);
        Counter(text, "airlock_audit_sampled_out_total", "Refusals without a valid credential, and rate-limit refusals, left out of the audit log (one a minute per address or key is written).", _auditSampledOut);
        Counter(text, "airlock_reconcile_passes_total", "Reconciler passes run by this server.", _reconcilePasses);
        Counter(text, "airlock_reconcile_changes_total", "Orphans removed, cut-off creates settled, sandboxes found exited or lost by the reconciler.", _reconcileChanges);

        Header(text, "airlock_egress_connections_total", "counter", "Connections allowlist sandboxes made through their egress proxy, by tenant and verdict (allowed, refused).");
        foreach (var ((tenant, verdict), connections) in _egress.OrderBy(e => e.Key.Tenant, StringComparer.Ordinal).ThenBy(e => e.Key.Verdict, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"airlock_egress_connections_total{{tenant=\"{Escape(tenant)}\",verdict=\"{verdict}\"}} {connections}\n");
        }

        Counter(text, "airlock_egress_records_dropped_total", "Egress records not written: the backlog was full or the database failed.", _egressDropped);

        Header(text, "airlock_sandboxes", "gauge", "Sandboxes in the store, by state.");
        foreach (var state in Sandboxes.SandboxState.All.Order(StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"airlock_sandboxes{{state=\"{state}\"}} {sandboxesByState.GetValueOrDefault(state)}\n");
        }

        Header(text, "airlock_up", "gauge", "Whether the database and the engine answer (1) or not (0).");
        text.Append(CultureInfo.InvariantCulture, $"airlock_up{{component=\"database\"}} {(databaseUp ? 1 : 0)}\n");
        text.Append(CultureInfo.InvariantCulture, $"airlock_up{{component=\"engine\"}} {(engineUp ? 1 : 0)}\n");
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, "counter", help);
        text.Append(CultureInfo.InvariantCulture, $"{name} {Interlocked.Read(ref value)}\n");
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
