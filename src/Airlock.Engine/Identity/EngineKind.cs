namespace Airlock.Engine.Identity;

public enum EngineKind
{
    Unknown,
    Podman,
    Docker,
}
