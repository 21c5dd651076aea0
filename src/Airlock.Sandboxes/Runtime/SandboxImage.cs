namespace Airlock.Sandboxes.Runtime;

/// <summary>An image as its engine sees it.</summary>
/// <param name="Digests">Repository digests (<c>name@sha256:...</c>), empty for an image built or committed here.</param>
/// <param name="Labels">The image's labels but those its owner is written as (in <see cref="Owner"/>).</param>
/// <param name="Command">The image's own CMD and ENTRYPOINT, joined; empty when it has neither.</param>
public sealed record SandboxImage(
    string Id,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Digests,
    SandboxOwner Owner,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset? Created,
    long Size,
    string? Os,
    string? Architecture,
    string? User,
    IReadOnlyList<string> Environment,
    IReadOnlyList<string> Command);
