using System.Text.Json.Serialization;

namespace Airlock.Engine.Containers;

/// <summary>A one-shot resource sample from GET /containers/{id}/stats?stream=false.</summary>
public sealed class ContainerStats
{
    [JsonPropertyName("read")]
    public string? Read { get; init; }

    [JsonPropertyName("memory_stats")]
    public MemoryStats MemoryStats { get; init; } = new();

    [JsonPropertyName("cpu_stats")]
    public CpuStats CpuStats { get; init; } = new();

    [JsonPropertyName("pids_stats")]
    public PidsStats PidsStats { get; init; } = new();
}

public sealed class MemoryStats
{
    [JsonPropertyName("usage")]
    public ulong Usage { get; init; }

    [JsonPropertyName("limit")]
    public ulong Limit { get; init; }
}

public sealed class CpuStats
{
    [JsonPropertyName("cpu_usage")]
    public CpuUsage CpuUsage { get; init; } = new();

    [JsonPropertyName("system_cpu_usage")]
    public ulong SystemCpuUsage { get; init; }

    [JsonPropertyName("online_cpus")]
    public uint OnlineCpus { get; init; }
}

public sealed class CpuUsage
{
    [JsonPropertyName("total_usage")]
    public ulong TotalUsage { get; init; }
}

public sealed class PidsStats
{
    [JsonPropertyName("current")]
    public ulong Current { get; init; }

    [JsonPropertyName("limit")]
    public ulong Limit { get; init; }
}
