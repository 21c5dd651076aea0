namespace Airlock.Engine.Images;

/// <summary>One row of GET /images/json.</summary>
public sealed class ImageSummary
{
    public string Id { get; init; } = "";
    public IReadOnlyList<string>? RepoTags { get; init; }
    public long Created { get; init; }
    public long Size { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
}
