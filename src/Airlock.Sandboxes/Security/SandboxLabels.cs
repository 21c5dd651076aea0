namespace Airlock.Sandboxes.Security;

/// <summary>
/// The keys of the labels on everything Airlock creates, so state can always be rebuilt from the engine alone. Only
/// <see cref="Runtime.SandboxOwner"/> writes and reads them.
/// </summary>
public static class SandboxLabels
{
    public const string Prefix = "io.airlock.";

    /// <summary>Who made it: one of <see cref="Runtime.SandboxOwner.Roles"/>.</summary>
    public const string Owner = "io.airlock.owner";

    public const string SandboxId = "io.airlock.sandbox";
    public const string Namespace = "io.airlock.namespace";
    public const string NamespaceOwner = "io.airlock.namespace-owner";
    public const string SkeletonHash = "io.airlock.skeleton-hash";
    public const string Tenant = "io.airlock.tenant";
    public const string SpecHash = "io.airlock.spec-hash";
    public const string Project = "io.airlock.project";
    public const string Session = "io.airlock.session";
    public const string Guards = "io.airlock.guards";
    public const string Server = "io.airlock.server";
    public const string Node = "io.airlock.node";
    public const string Snapshot = "io.airlock.snapshot";
    public const string Template = "io.airlock.template";

    /// <summary>On a launcher session driven by a program instead of a person at a terminal: which (<c>mcp</c>).</summary>
    public const string Client = "io.airlock.client";

    /// <summary>On a sandbox: its isolation level's name (written by the runtime from the spec, not part of the owner).</summary>
    public const string Isolation = "io.airlock.isolation";
}
