namespace Airlock.Sandboxes.Security;

/// <summary>Labels on everything Airlock creates, so state can always be rebuilt from the engine alone.</summary>
public static class SandboxLabels
{
    public const string Prefix = "io.airlock.";

    /// <summary>Who made it: <c>launcher</c> or <c>server</c>.</summary>
    public const string Owner = "io.airlock.owner";

    public const string SandboxId = "io.airlock.sandbox";
    public const string Namespace = "io.airlock.namespace";
    public const string Tenant = "io.airlock.tenant";
    public const string SpecHash = "io.airlock.spec-hash";
    public const string Project = "io.airlock.project";
    public const string Session = "io.airlock.session";
}
