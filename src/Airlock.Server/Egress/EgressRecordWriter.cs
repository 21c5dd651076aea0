using System.Threading.Channels;
using Airlock.Sandboxes.Egress;
using Airlock.Server.Observability;
using Airlock.Server.Store;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Egress;

/// <summary>
/// Takes the records of every egress proxy the server hosts and writes them to the store in batches, off the proxies'
/// paths: a proxy never waits for the database, and one that cannot keep up loses records (counted in metrics), not
/// connections. Each record is counted per tenant and verdict as it arrives.
/// </summary>
public sealed partial class EgressRecordWriter : IAsyncDisposable
{
    private const int BatchSize = 256;

    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(ServerLimits.EgressRecordBacklog)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly EgressRecordStore _store;
    private readonly ServerMetrics _metrics;
    private readonly ILogger<EgressRecordWriter> _logger;
    private readonly Task _loop;

    public EgressRecordWriter(EgressRecordStore store, ServerMetrics metrics, ILogger<EgressRecordWriter> logger)
    {
        _store = store;
        _metrics = metrics;
        _logger = logger;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>The log a proxy of <paramref name="tenantId"/>'s sandbox writes to.</summary>
    public IEgressLog For(string tenantId) => new TenantEgressLog(this, tenantId);

    internal void Add(string tenantId, EgressRecord record)
    {
        _metrics.EgressConnection(tenantId, record.Verdict == EgressVerdict.Allowed);
        // TryWrite never waits: a full backlog drops the record, the connection itself is unaffected.
        if (!_queue.Writer.TryWrite(new Item(tenantId, record, null)))
        {
            _metrics.EgressRecordsDropped(1);
        }
    }

    /// <summary>Returns once every record added before the call is written (or dropped): a deleted sandbox's come before its deletion.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new Item("", null, done), ct);
        }
        catch (ChannelClosedException)
        {
            return;
        }

        await done.Task.WaitAsync(ct);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(string, EgressRecord)>(BatchSize);
        var flushed = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
            {
                if (item.Record is { } record)
                {
                    batch.Add((item.TenantId, record));
                }
                else
                {
                    flushed.Add(item.Flushed!);
                }
            }

            if (batch.Count > 0)
            {
                try
                {
                    await _store.AppendAsync(batch, CancellationToken.None);
                }
#pragma warning disable CA1031 // The database being away must not end the loop: later records are tried again.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _metrics.EgressRecordsDropped(batch.Count);
                    LogWriteFailed(_logger, batch.Count, ex.Message);
                }
            }

            batch.Clear();
            foreach (var f in flushed)
            {
                f.TrySetResult();
            }

            flushed.Clear();
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private readonly record struct Item(string TenantId, EgressRecord? Record, TaskCompletionSource? Flushed);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not write {Count} egress records: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);
}
