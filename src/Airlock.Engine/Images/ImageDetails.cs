namespace Airlock.Engine.Images;

/// <summary>The part of GET /images/{name}/json that Airlock reads.</summary>
public sealed class ImageDetails
{
    public string Id { get; init; } = "";
    public IReadOnlyList<string>? RepoTags { get; init; }

    /// <summary><c>repository@sha256:...</c> names of the image (podman resolves any name with one of these digests to it).</summary>
    public IReadOnlyList<string>? RepoDigests { get; init; }
    public string? Created { get; init; }
    public long Size { get; init; }
    public string? Architecture { get; init; }
    public string? Os { get; init; }
    public ImageConfigDetails? Config { get; init; }
}

public sealed class ImageConfigDetails
{
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
}
