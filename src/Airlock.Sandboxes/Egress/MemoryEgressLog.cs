namespace Airlock.Sandboxes.Egress;

/// <summary>Keeps records in memory, and lets a caller wait for one without polling.</summary>
public sealed class MemoryEgressLog : IEgressLog
{
    private readonly Lock _gate = new();
    private readonly List<EgressRecord> _records = [];
    private readonly List<(Func<EgressRecord, bool> Match, TaskCompletionSource<EgressRecord> Done)> _waiters = [];

    public IReadOnlyList<EgressRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToList();
            }
        }
    }

    public ValueTask WriteAsync(EgressRecord record, CancellationToken cancellationToken)
    {
        List<TaskCompletionSource<EgressRecord>> done = [];
        lock (_gate)
        {
            _records.Add(record);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(record))
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var d in done)
        {
            d.TrySetResult(record);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The first record (already written or still to come) that <paramref name="match"/> accepts.</summary>
    public Task<EgressRecord> WaitForAsync(Func<EgressRecord, bool> match, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<EgressRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_records.FirstOrDefault(match) is { } found)
            {
                return Task.FromResult(found);
            }

            _waiters.Add((match, tcs));
        }

        return tcs.Task.WaitAsync(cancellationToken);
    }
}
