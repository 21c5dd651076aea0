namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// What the tools say differently on each face that offers them. The names, schemas, argument checks and bounds stay
/// <see cref="SandboxToolset"/>'s, shared; only what a sandbox is made from is the face's to describe: a launcher
/// namespace and the project on a developer's machine, a template or image of the tenant's on <c>airlock serve</c>.
/// </summary>
/// <param name="CreateDescription">create_sandbox's description: what it makes, and from what.</param>
/// <param name="NamespaceDescription">What create_sandbox's <c>namespace</c> argument names on this face.</param>
/// <param name="Instructions">What the server tells a client about itself when it connects.</param>
public sealed record SandboxToolFace(string CreateDescription, string NamespaceDescription, string Instructions)
{
    /// <summary><c>airlock mcp</c>: a sandbox of a launcher namespace with the project mounted.</summary>
    public static SandboxToolFace Launcher(string defaultNamespace) => new(
        "Create and start an isolated sandbox (a hardened container) for the current project and return its name, which every other tool " +
        "takes. The project directory is mounted read-write at the same absolute path as on the host and is the default working directory; " +
        "the sandbox has the namespace's image and persistent home, runs as the user's own uid, and follows the namespace's network rules. " +
        "It stays up between calls until delete_sandbox (or until this MCP server stops). Usually one sandbox per task is enough; " +
        "by default a second one for the same project is refused while the first exists.",
        $"The Airlock namespace whose image, home and settings to use (see `airlock list namespaces`). Default: {defaultNamespace}.",
        SandboxToolset.Instructions);
}
