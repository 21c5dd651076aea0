namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>Records reports synchronously, in order (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
public sealed class ProgressRecorder<T> : IProgress<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }
    }

    public void Report(T value)
    {
        lock (_lock)
        {
            _items.Add(value);
        }
    }
}
