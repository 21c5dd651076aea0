namespace Airlock.Engine.Images;

/// <summary>An image build from a directory on disk, sent to the engine as a tar stream.</summary>
public sealed record BuildOptions
{
    public required string ContextDirectory { get; init; }

    /// <summary>The tag to give the result, e.g. <c>localhost/airlock:work</c>.</summary>
    public required string Tag { get; init; }

    /// <summary>The Dockerfile's path relative to the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool NoCache { get; init; }

    /// <summary>Try to pull a newer FROM image; off by default because a local base image must keep working offline.</summary>
    public bool Pull { get; init; }
}
