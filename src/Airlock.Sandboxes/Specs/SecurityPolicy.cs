namespace Airlock.Sandboxes.Specs;

/// <summary>
/// The sandbox's privileges. Every capability is dropped; <see cref="CapAdd"/> may give back only those the user asked
/// for. no-new-privileges, the engine's default seccomp profile and an init process are always on.
/// </summary>
public sealed record SecurityPolicy(IReadOnlyList<string> CapAdd, bool ReadOnlyRootfs)
{
    public static readonly SecurityPolicy Default = new([], false);
}
