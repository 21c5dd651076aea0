using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Runtime;

/// <summary>A sandbox as its engine sees it now.</summary>
/// <param name="ExitCode">Meaningful once the process has ended (<see cref="Running"/> false and <see cref="StartedAt"/> set).</param>
/// <param name="Labels">The caller's own labels (those its owner is written as are in <see cref="Owner"/>).</param>
/// <param name="Address">The sandbox's address on its network, when it has one.</param>
public sealed record SandboxInfo(
    string Id,
    string Name,
    string Image,
    bool Running,
    string Status,
    int ExitCode,
    bool OomKilled,
    SandboxOwner Owner,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Address)
{
    /// <summary>The user its process runs as (<c>uid:gid</c> or a name); null or empty for the image's.</summary>
    public string? User { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Its isolation level, from its label.</summary>
    public IsolationLevel Isolation { get; init; }
}
