namespace Airlock.Server.Nodes;

/// <summary>How much CPU and memory sandboxes may reserve on a node in all.</summary>
public sealed record NodeCapacity(long CpuMillis, long MemoryBytes)
{
    /// <summary>Large enough never to be reached, small enough that adding a reservation cannot overflow.</summary>
    public static readonly NodeCapacity Unbounded = new(long.MaxValue / 4, long.MaxValue / 4);
}
