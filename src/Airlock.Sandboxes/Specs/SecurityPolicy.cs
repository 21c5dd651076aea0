namespace Airlock.Sandboxes.Specs;

/// <summary>
/// The sandbox's privileges. Every capability is dropped; <see cref="CapAdd"/> may give back only those the user asked
/// for. no-new-privileges, Airlock's seccomp profile and an init process are always on.
/// </summary>
/// <param name="Nesting">
/// Lets the sandbox create user namespaces and mount inside them, for a container engine, a browser's or an agent's own
/// sandbox inside. Off by default: user namespaces open much more of the kernel to the sandbox.
/// </param>
public sealed record SecurityPolicy(IReadOnlyList<string> CapAdd, bool ReadOnlyRootfs, bool Nesting = false)
{
    public static readonly SecurityPolicy Default = new([], false);
}
