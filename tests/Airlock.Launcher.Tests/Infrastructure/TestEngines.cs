using Airlock.Engine;
using Airlock.Engine.Identity;

namespace Airlock.Launcher.Tests.Infrastructure;

/// <summary>Engine identities as the engine client would report them, without an engine.</summary>
public static class TestEngines
{
    public static EngineIdentity RootfulPodman { get; } = Make(EngineKind.Podman, rootless: false);

    public static EngineIdentity RootlessPodman { get; } = Make(EngineKind.Podman, rootless: true);

    public static EngineIdentity RootfulDocker { get; } = Make(EngineKind.Docker, rootless: false);

    public static EngineIdentity RootlessDocker { get; } = Make(EngineKind.Docker, rootless: true);

    private static EngineIdentity Make(EngineKind kind, bool rootless) =>
        new(kind, "5.0.0", EngineApiVersion.Pinned, EngineApiVersion.Pinned, rootless, "linux", "amd64", "6.1.0");
}
