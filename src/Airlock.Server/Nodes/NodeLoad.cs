namespace Airlock.Server.Nodes;

/// <summary>One node as placement sees it: what it can hold, what is reserved on it, and how many of the placing tenant's sandboxes it has.</summary>
public sealed record NodeLoad(string Name, NodeCapacity Capacity, long UsedCpuMillis, long UsedMemoryBytes, long TenantSandboxes)
{
    public bool Fits(long cpuMillis, long memoryBytes) =>
        UsedCpuMillis + cpuMillis <= Capacity.CpuMillis && UsedMemoryBytes + memoryBytes <= Capacity.MemoryBytes;

    /// <summary>The fuller of CPU and memory, 0 to 1.</summary>
    public double Utilisation => Math.Max((double)UsedCpuMillis / Math.Max(1, Capacity.CpuMillis), (double)UsedMemoryBytes / Math.Max(1, Capacity.MemoryBytes));
}
