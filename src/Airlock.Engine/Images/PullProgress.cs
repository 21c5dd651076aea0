namespace Airlock.Engine.Images;

/// <summary>A status line of a pull, e.g. <c>Downloading</c> with the layer id and a progress text.</summary>
public sealed record PullProgress(string? LayerId, string Status, string? Progress);
