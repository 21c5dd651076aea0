namespace Airlock.Engine.Containers;

/// <summary>One row of GET /containers/json.</summary>
public sealed class ContainerSummary
{
    public string Id { get; init; } = "";
    public IReadOnlyList<string> Names { get; init; } = [];
    public string? Image { get; init; }
    public string State { get; init; } = "";
    public string? Status { get; init; }
    public long Created { get; init; }
    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>The name without the leading slash Docker adds.</summary>
    public string Name => Names.Count == 0 ? Id[..Math.Min(12, Id.Length)] : Names[0].TrimStart('/');
}
