using Airlock.Engine.Images;

namespace Airlock.Launcher.Namespaces;

/// <summary>What a namespace operation is doing: a phase ("building image", "seeding home") and, while building, the build's own progress.</summary>
public sealed record NamespaceProgress(string Phase, BuildProgress? Build = null);
