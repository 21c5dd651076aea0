using Airlock.Engine.Identity;

namespace Airlock.Launcher.Identity;

/// <summary>
/// How the host user appears inside: which uid/gid the image's <c>airlock</c> account gets and which the process runs as.
/// Rootful engines run it as the host uid:gid. Rootless podman maps the host uid to itself (keep-id). Rootless Docker
/// maps container root to the host user, so the sandbox runs as root there (still with every capability dropped).
/// </summary>
public sealed record UserMapping(int ImageUid, int ImageGid, string RunAs, string? UsernsMode)
{
    /// <summary>Rootless podman's user namespace mode that keeps the host uid inside.</summary>
    public const string KeepId = Sandboxes.Specs.SandboxSpec.KeepIdUsernsMode;

    public static UserMapping For(HostUser user, EngineIdentity engine) => engine switch
    {
        { Rootless: true, Kind: EngineKind.Docker } => new UserMapping(0, 0, "0:0", null),
        { Rootless: true, Kind: EngineKind.Podman } => new UserMapping(user.Uid, user.Gid, $"{user.Uid}:{user.Gid}", KeepId),
        _ => new UserMapping(user.Uid, user.Gid, $"{user.Uid}:{user.Gid}", null),
    };
}
